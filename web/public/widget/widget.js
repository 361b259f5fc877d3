/*!
 * Chat widget of the reïntegratie-assistent (Rasa Socket.IO channel).
 *
 * Embed with one script tag:
 *   <script src="https://example.org/widget/widget.js" data-server="https://rasa.example.org"
 *     data-title="Vraag het de assistent" data-color="#00557a" defer></script>
 *
 * Optional: data-privacy-url (default: privacy.html next to the widget folder), data-socket-path (/socket.io).
 * widget.css and vendor/socket.io.min.js are loaded from the folder of this script.
 *
 * Safety: message text is never parsed as HTML. Every node is built with createElement/textContent.
 */
(function () {
  "use strict";

  if (window.ReintegratieWidget) return; // embedded twice

  var script = document.currentScript || document.querySelector('script[src*="widget.js"][data-server]');
  if (!script) return;
  var base = new URL(".", script.src);
  var data = script.dataset;
  var SERVER = data.server || base.origin;
  var TITLE = data.title || "Vraag het de assistent";
  var PRIVACY_URL = new URL(data.privacyUrl || "../privacy.html", base).href;
  var SOCKET_PATH = data.socketPath || "/socket.io";
  var ACCENT = accessibleColor(data.color || "#00557a");

  var KEY = "reintegratie-widget:";
  var SESSION_KEY = KEY + "session_id";
  var STATE_KEY = KEY + "state";
  var MAX_MESSAGES = 200;
  var TEXT = {
    launcher: TITLE,
    close: "Chat sluiten",
    disclosure: "Ik ben de digitale assistent, geen mens.",
    privacy: "We bewaren de tekst van dit gesprek, zonder BSN, zo lang als de gemeente bepaalt.",
    privacyLink: "Lees meer over privacy",
    newWindow: " (opent in een nieuw venster)",
    log: "Gesprek",
    you: "Jij: ",
    bot: "Assistent: ",
    agent: "Medewerker",
    inputLabel: "Typ je vraag",
    placeholder: "Typ je vraag…",
    send: "Verstuur",
    human: "Praat met een medewerker",
    typing: "De assistent schrijft een antwoord…",
    offline: "Verbinding verbroken, opnieuw verbinden…",
    connecting: "Verbinden…",
    slow: "Het antwoord duurt lang. Probeer het zo nog eens.",
    choices: "Kies een antwoord",
    feedbackQuestion: "Had je iets aan dit antwoord?",
    feedbackGood: "Ja, dit hielp",
    feedbackBad: "Nee, dit hielp niet",
    feedbackThanks: "Bedankt voor je reactie.",
    download: "download",
    image: "Afbeelding van de assistent",
    handoff: {
      aangevraagd: "Je vraag staat klaar voor een medewerker.",
      geclaimd: "Je praat nu met een medewerker",
      gesloten: "Het gesprek met de medewerker is afgelopen. Je praat weer met de digitale assistent.",
    },
  };

  // ---------- state (sessionStorage: a reload keeps the conversation, a new tab starts fresh) ----------
  var state = loadState();
  var sessionId = storageGet(SESSION_KEY);
  var socket = null;
  var confirmed = false;
  var queue = [];
  var typingTimer = null;
  var statusTimer = null;

  function loadState() {
    var fallback = { messages: [], greeted: false, open: false, handoff: null };
    try {
      var parsed = JSON.parse(storageGet(STATE_KEY) || "null");
      if (parsed && Array.isArray(parsed.messages)) return Object.assign(fallback, parsed);
    } catch (e) { /* start fresh */ }
    return fallback;
  }
  function saveState() {
    if (state.messages.length > MAX_MESSAGES) state.messages = state.messages.slice(-MAX_MESSAGES);
    storageSet(STATE_KEY, JSON.stringify(state));
  }
  function storageGet(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* private mode: no persistence */ }
  }

  // ---------- DOM helpers ----------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "text") node.textContent = value;
        else if (name === "className") node.className = value;
        else node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }
  function srOnly(text) { return el("span", { className: "rw-sr", text: text }); }
  function icon(paths, className) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "rw-icon " + (className || ""));
    paths.forEach(function (d) {
      var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    });
    return svg;
  }
  var ICONS = {
    chat: ["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"],
    close: ["M6 6l12 12M18 6L6 18"],
    send: ["M3 11l18-8-8 18-2-8-8-2z"],
    up: ["M7 10v11H3V10h4zm2 11h9.2a2 2 0 0 0 2-1.6l1.3-7A2 2 0 0 0 19.5 10H14V5.5A2.5 2.5 0 0 0 11.5 3L9 10v11z"],
    down: ["M17 14V3h4v11h-4zM15 3H5.8a2 2 0 0 0-2 1.6l-1.3 7A2 2 0 0 0 4.5 14H10v4.5a2.5 2.5 0 0 0 2.5 2.5L15 14V3z"],
    person: ["M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-8 8c0-3.3 3.6-6 8-6s8 2.7 8 6"],
    download: ["M12 3v12m0 0l-5-5m5 5l5-5M4 20h16"],
  };

  // ---------- safe formatting: **bold**, "- " lists, http(s) links; everything else is text ----------
  var URL_RE = /https?:\/\/[^\s<>"'`]+/gi;
  var DOWNLOAD_RE = /\/webhooks\/kennisbank\/vragen\/([A-Za-z0-9_.-]+\.md)$/;

  function formatText(text) {
    var fragment = document.createDocumentFragment();
    var list = null;
    String(text).split(/\r?\n/).forEach(function (line) {
      if (/^\s*- /.test(line)) {
        if (!list) { list = el("ul"); fragment.append(list); }
        var item = el("li");
        appendInline(item, line.replace(/^\s*- /, ""));
        list.append(item);
        return;
      }
      list = null;
      if (!line.trim()) return;
      var paragraph = el("p", { className: /^(Bron|Bronnen|Stand):/.test(line) ? "rw-meta" : null });
      appendInline(paragraph, line);
      fragment.append(paragraph);
    });
    return fragment;
  }
  function appendInline(parent, text) {
    text.split(/\*\*(.+?)\*\*/).forEach(function (part, index) {
      if (!part) return;
      appendLinks(index % 2 ? parent.appendChild(el("strong")) : parent, part);
    });
  }
  function appendLinks(parent, text) {
    var last = 0;
    var match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      var raw = match[0].replace(/[.,;:!?)\]]+$/, "");
      parent.append(text.slice(last, match.index));
      parent.append(link(raw));
      last = match.index + raw.length;
      URL_RE.lastIndex = last;
    }
    parent.append(text.slice(last));
  }
  function link(raw) {
    var url;
    try { url = new URL(raw); } catch (e) { return document.createTextNode(raw); }
    if (url.protocol !== "http:" && url.protocol !== "https:") return document.createTextNode(raw);
    var anchor = el("a", { href: url.href, rel: "noopener noreferrer", target: "_blank" });
    var download = DOWNLOAD_RE.exec(url.pathname);
    if (download) {
      anchor.className = "rw-download";
      anchor.setAttribute("download", download[1]);
      anchor.append(icon(ICONS.download), download[1] + " (Markdown, " + TEXT.download + ")");
    } else {
      anchor.textContent = raw;
    }
    anchor.append(srOnly(TEXT.newWindow));
    return anchor;
  }

  // ---------- colour: keep white text on the accent at 4.5:1 or more ----------
  function accessibleColor(value) {
    var match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value).trim());
    var hex = match ? match[1] : "00557a";
    if (hex.length === 3) hex = hex.replace(/(.)/g, "$1$1");
    var rgb = [0, 2, 4].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    function luminance(c) {
      var l = c.map(function (v) {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      });
      return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    }
    while (1.05 / (luminance(rgb) + 0.05) < 4.6) {
      rgb = rgb.map(function (v) { return Math.floor(v * 0.9); });
    }
    return "#" + rgb.map(function (v) { return v.toString(16).padStart(2, "0"); }).join("");
  }

  // ---------- build the widget (in a shadow root, so the page's CSS and ours do not mix) ----------
  var host = el("div", { id: "reintegratie-widget" });
  host.style.display = "none"; // until widget.css is loaded
  host.style.setProperty("--rw-accent", ACCENT);
  var root = host.attachShadow({ mode: "open" });
  var stylesheet = el("link", { rel: "stylesheet", href: new URL("widget.css", base).href });
  stylesheet.addEventListener("load", function () { host.style.display = ""; });
  stylesheet.addEventListener("error", function () { host.style.display = ""; });

  var launcher = el("button", {
    type: "button", id: "rw-launcher", className: "rw-launcher",
    "aria-expanded": "false", "aria-controls": "rw-panel",
  }, [icon(ICONS.chat), el("span", { text: TEXT.launcher })]);

  var closeButton = el("button", { type: "button", className: "rw-close", "aria-label": TEXT.close },
    [icon(ICONS.close)]);
  // Live regions stay in the page (an empty one takes no space), so screen readers announce changes.
  var statusLine = el("p", { className: "rw-status", role: "status" });
  var handoffLine = el("p", { className: "rw-handoff", role: "status" });
  var intro = el("div", { className: "rw-intro" }, [
    el("p", { id: "rw-disclosure" }, [el("strong", { text: TEXT.disclosure })]),
    el("p", { id: "rw-privacy" }, [
      TEXT.privacy + " ",
      el("a", { href: PRIVACY_URL, target: "_blank", rel: "noopener" },
        [TEXT.privacyLink, srOnly(TEXT.newWindow)]),
      ".",
    ]),
  ]);
  var log = el("div", {
    id: "rw-log", className: "rw-log", role: "log", "aria-live": "polite",
    "aria-label": TEXT.log, tabindex: "0",
  });
  var typing = el("div", { className: "rw-typing", "aria-hidden": "true", hidden: true }, [
    el("span", { className: "rw-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    el("span", { className: "rw-typing-text", text: TEXT.typing }),
  ]);
  var typingStatus = el("div", { className: "rw-sr", role: "status" });
  var humanButton = el("button", { type: "button", className: "rw-human" },
    [icon(ICONS.person), el("span", { text: TEXT.human })]);
  var input = el("input", {
    id: "rw-input", className: "rw-input", type: "text", autocomplete: "off", enterkeyhint: "send",
    maxlength: "1000", placeholder: TEXT.placeholder,
  });
  var sendButton = el("button", { type: "submit", className: "rw-send" },
    [icon(ICONS.send), el("span", { text: TEXT.send })]);
  var form = el("form", { className: "rw-form" }, [
    el("label", { className: "rw-sr", for: "rw-input", text: TEXT.inputLabel }),
    input,
    sendButton,
  ]);
  var panel = el("section", {
    id: "rw-panel", className: "rw-panel", role: "dialog", "aria-labelledby": "rw-title",
    "aria-describedby": "rw-disclosure", hidden: true,
  }, [
    el("div", { className: "rw-header" }, [el("h2", { id: "rw-title", className: "rw-title", text: TITLE }), closeButton]),
    statusLine,
    handoffLine,
    el("div", { className: "rw-body" }, [intro, log, typing]),
    typingStatus,
    el("div", { className: "rw-actions" }, [humanButton]),
    form,
  ]);
  root.append(stylesheet, el("div", { className: "rw", lang: "nl" }, [panel, launcher]));

  // ---------- messages ----------
  function addMessage(message) {
    state.messages.push(message);
    saveState();
    log.append(renderMessage(message, state.messages.length - 1));
    scrollDown();
  }

  function renderMessage(message, index) {
    var from = message.from;
    var bubble = el("div", { className: "rw-msg rw-" + from });
    if (from === "user") {
      bubble.append(srOnly(TEXT.you), el("p", { text: message.text }));
    } else {
      if (from === "agent") {
        bubble.append(el("p", { className: "rw-label", text: message.label || TEXT.agent }), srOnly(": "));
      } else {
        bubble.append(srOnly(TEXT.bot));
      }
      if (message.text) bubble.append(formatText(message.text));
      if (message.image) {
        bubble.append(el("img", { src: message.image, alt: message.alt || TEXT.image, loading: "lazy" }));
      }
    }
    var wrapper = el("div", { className: "rw-item rw-item-" + from }, [bubble]);
    if (from !== "user" && message.text && /^(Bron|Bronnen):/m.test(message.text)) {
      wrapper.append(renderFeedback(message));
    }
    if (message.quick && message.quick.length && !message.quickUsed) {
      wrapper.append(renderQuickReplies(message, index));
    }
    return wrapper;
  }

  function renderQuickReplies(message) {
    var group = el("div", { className: "rw-quick", role: "group", "aria-label": TEXT.choices });
    message.quick.forEach(function (reply) {
      var button = el("button", { type: "button", className: "rw-choice", text: reply.title });
      button.addEventListener("click", function () {
        sendUser(reply.payload, reply.title);
        input.focus();
      });
      group.append(button);
    });
    return group;
  }

  function clearQuickReplies() {
    var changed = false;
    state.messages.forEach(function (m) { if (m.quick && !m.quickUsed) { m.quickUsed = true; changed = true; } });
    if (changed) saveState();
    log.querySelectorAll(".rw-quick").forEach(function (node) { node.remove(); });
  }

  function renderFeedback(message) {
    var box = el("div", { className: "rw-feedback" });
    if (message.feedback) {
      box.append(el("p", { className: "rw-thanks", text: TEXT.feedbackThanks }));
      return box;
    }
    var question = el("p", { className: "rw-feedback-question", text: TEXT.feedbackQuestion });
    function choice(value, label, paths) {
      var button = el("button", { type: "button", className: "rw-thumb", "aria-label": label, title: label },
        [icon(paths)]);
      button.addEventListener("click", function () {
        message.feedback = value;
        saveState();
        send("/feedback" + JSON.stringify({ waardering: value }));
        var thanks = el("p", { className: "rw-thanks", tabindex: "-1", text: TEXT.feedbackThanks });
        box.replaceChildren(thanks);
        thanks.focus();
      });
      return button;
    }
    box.append(question, el("div", { className: "rw-thumbs", role: "group", "aria-label": TEXT.feedbackQuestion }, [
      choice("goed", TEXT.feedbackGood, ICONS.up),
      choice("slecht", TEXT.feedbackBad, ICONS.down),
    ]));
    return box;
  }

  function renderAll() {
    log.replaceChildren();
    state.messages.forEach(function (message, index) { log.append(renderMessage(message, index)); });
    showHandoff(state.handoff);
    scrollDown();
  }

  function scrollDown() {
    var body = log.parentNode;
    body.scrollTop = body.scrollHeight;
  }

  // ---------- bot messages ----------
  function onBotMessage(message) {
    if (!message || typeof message !== "object") return;
    // Rasa's socketio channel emits the "data" of {"custom": {"data": {"handoff": {...}}}}: {"handoff": {...}}
    var handoff = message.handoff;
    if (handoff && typeof handoff === "object") {
      setHandoff(handoff);
      if (!message.text) return;
    }
    var from = state.handoff && state.handoff.status === "geclaimd" ? "agent" : "bot";
    var entry = { from: from };
    if (from === "agent" && state.handoff.medewerker) entry.label = TEXT.agent + " " + state.handoff.medewerker;
    if (typeof message.text === "string" && message.text.trim()) entry.text = message.text;
    var attachment = message.attachment;
    if (attachment && typeof attachment === "object") {
      var src = (attachment.payload && attachment.payload.src) || attachment.src || attachment.url;
      if (typeof src === "string" && /^https?:\/\//i.test(src)) {
        if (attachment.type === "image") entry.image = src;
        else entry.text = (entry.text ? entry.text + "\n" : "") + src;
      }
    }
    if (Array.isArray(message.quick_replies) && message.quick_replies.length) {
      entry.quick = message.quick_replies
        .filter(function (r) { return r && typeof r.title === "string" && typeof r.payload === "string"; })
        .map(function (r) { return { title: r.title, payload: r.payload }; });
    }
    if (!entry.text && !entry.image && !(entry.quick && entry.quick.length)) return; // unknown custom JSON
    hideTyping();
    addMessage(entry);
  }

  function setHandoff(handoff) {
    var status = String(handoff.status || "");
    if (!TEXT.handoff[status]) return;
    state.handoff = status === "gesloten" ? null : { status: status, medewerker: String(handoff.medewerker || "") };
    if (status === "geclaimd") hideTyping();
    saveState();
    showHandoff(state.handoff);
    if (status === "gesloten") {
      handoffLine.textContent = TEXT.handoff.gesloten;
      handoffLine.dataset.status = "gesloten";
      window.setTimeout(function () { if (!state.handoff) showHandoff(null); }, 8000);
    }
  }

  function showHandoff(handoff) {
    if (!handoff) {
      handoffLine.textContent = "";
      delete handoffLine.dataset.status;
      return;
    }
    var text = TEXT.handoff[handoff.status];
    if (handoff.status === "geclaimd" && handoff.medewerker) text += " (" + handoff.medewerker + ")";
    handoffLine.textContent = handoff.status === "geclaimd" ? text + "." : text;
    handoffLine.dataset.status = handoff.status;
  }

  // ---------- sending ----------
  function sendUser(message, display) {
    message = String(message).trim();
    if (!message) return;
    clearQuickReplies();
    addMessage({ from: "user", text: display || message });
    send(message);
    // While a consultant has the conversation, the bot is paused: no "typing" and no "slow" warning.
    if (!(state.handoff && state.handoff.status === "geclaimd")) showTyping();
  }

  function send(message) {
    queue.push(message);
    connect();
    flush();
  }

  function flush() {
    if (!socket || !socket.connected || !confirmed || !sessionId) return;
    while (queue.length) socket.emit("user_uttered", { message: queue.shift(), session_id: sessionId });
  }

  function showTyping() {
    typing.hidden = false;
    typingStatus.textContent = TEXT.typing;
    scrollDown();
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () {
      hideTyping();
      if (!statusLine.textContent) setStatus(TEXT.slow, 10000);
    }, 30000);
  }

  function hideTyping() {
    typing.hidden = true;
    typingStatus.textContent = "";
    window.clearTimeout(typingTimer);
  }

  function setStatus(text, clearAfter) {
    window.clearTimeout(statusTimer);
    statusLine.textContent = text || "";
    if (text && clearAfter) statusTimer = window.setTimeout(function () { setStatus(""); }, clearAfter);
  }

  // ---------- connection (socket.io-client v4, Rasa's socketio channel) ----------
  var ioLoading = null;
  function loadSocketIo() {
    if (window.io) return Promise.resolve(window.io);
    if (!ioLoading) {
      ioLoading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = new URL("vendor/socket.io.min.js", base).href;
        tag.async = true;
        tag.onload = function () { return window.io ? resolve(window.io) : reject(new Error("no io")); };
        tag.onerror = function () { ioLoading = null; reject(new Error("socket.io client not loaded")); };
        document.head.appendChild(tag);
      });
    }
    return ioLoading;
  }

  function connect() {
    if (socket) return;
    socket = {}; // connecting
    setStatus(TEXT.connecting);
    loadSocketIo().then(function (io) {
      socket = io(SERVER, {
        path: SOCKET_PATH,
        transports: ["websocket", "polling"],
        tryAllTransports: true,
        reconnectionDelayMax: 10000,
      });
      socket.on("connect", function () {
        confirmed = false;
        socket.emit("session_request", { session_id: sessionId });
      });
      socket.on("session_confirm", function (id) {
        var confirmedId = typeof id === "string" ? id : id && id.session_id;
        if (!confirmedId) return;
        sessionId = confirmedId;
        storageSet(SESSION_KEY, sessionId);
        confirmed = true;
        setStatus("");
        flush();
      });
      socket.on("bot_uttered", onBotMessage);
      socket.on("disconnect", function (reason) {
        confirmed = false;
        setStatus(TEXT.offline);
        if (reason === "io server disconnect") socket.connect();
      });
      socket.on("connect_error", function () { setStatus(TEXT.offline); });
    }, function () {
      socket = null;
      setStatus(TEXT.offline, 5000);
    });
  }

  // ---------- open / close ----------
  function open(focusInput) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.querySelector(".rw").classList.add("rw-is-open");
    state.open = true;
    saveState();
    connect();
    if (!state.greeted) {
      state.greeted = true;
      saveState();
      send("/greet");
      showTyping();
    }
    scrollDown();
    if (focusInput !== false) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.querySelector(".rw").classList.remove("rw-is-open");
    state.open = false;
    saveState();
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open(); else close();
  });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) { input.focus(); return; }
    input.value = "";
    sendUser(text);
    input.focus();
  });
  humanButton.addEventListener("click", function () {
    sendUser("/request_human", TEXT.human);
    input.focus();
  });

  // ---------- start ----------
  function mount() {
    document.body.appendChild(host);
    renderAll();
    if (state.open) open(false);
    else if (sessionId && state.messages.length) connect(); // receive a consultant's messages after a reload
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.ReintegratieWidget = { open: function () { open(); }, close: close };
})();

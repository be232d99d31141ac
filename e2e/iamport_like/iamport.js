// A stand-in for Iamport's own iamport.js 1.2.x, as the service sees it (issue 10 §1;
// docs/existing-code.md): settings by JSONP, one hidden frame preloaded per setting at init
// without a request id, the request posted to the matching frame later (on its load), ANY message
// from the service origin that it does not intercept taken for the result, after which
// every frame is closed and reloaded (settings included). Popup PGs: an about:blank popup
// named iamport_popup opened synchronously, filled by submitting the frame's <pg>.modal
// form into it; closing it posts communicate/proxy.closed to the frame.
// Test hooks: window.IMP_TEST (state, what was received), body[data-imp-state].
(function () {
  "use strict";
  var SERVICE = "https://service.iamport.kr";
  var POPUP_PGS = ["eximbay", "payco", "naverpay", "naverco", "paypal", "settle", "daou",
                   "paymentwall"];
  var state = { userCode: null, tier: null, settings: null, frames: [], pending: null,
                generation: 0, received: [], lastId: 0, watch: null, lastPopup: null };
  var overlay = null;

  function jsonp(url, done) {
    var name = "jQuery1200" + String(Math.random()).slice(2, 10) + "_" + Date.now();
    var script = document.createElement("script");
    window[name] = function (body) { delete window[name]; script.remove(); done(body); };
    script.onerror = function () { delete window[name]; script.remove(); done(null); };
    script.src = url + (url.indexOf("?") < 0 ? "?" : "&") + "callback=" + name + "&_=" + Date.now();
    document.head.appendChild(script);
  }

  function frameUrl(setting, index) {
    var kind = setting.type === "certification" ? "certificates" : "payments";
    var url = SERVICE + "/" + kind + "/ready/" + encodeURIComponent(state.userCode);
    if (index > 0) {
      url += "/" + encodeURIComponent(setting.pg_provider);
      if (setting.pg_id) url += "/" + encodeURIComponent(setting.pg_id);
    }
    return state.tier ? url + "?tier=" + encodeURIComponent(state.tier) : url;
  }

  function removeFrames() {
    state.frames.forEach(function (entry) { entry.iframe.remove(); });
    state.frames = [];
  }

  function preload() {
    removeFrames();
    state.generation += 1;
    state.frames = state.settings.map(function (setting, index) {
      var entry = { setting: setting, url: frameUrl(setting, index), loaded: false, onload: null,
                    iframe: document.createElement("iframe") };
      entry.iframe.className = "imp-frame";
      entry.iframe.name = "imp-frame-" + index;
      entry.iframe.style.cssText = "display:none;width:100%;height:100%;border:0;background:#fff";
      entry.iframe.addEventListener("load", function () {
        entry.loaded = true;
        if (entry.onload) { var send = entry.onload; entry.onload = null; send(); }
      });
      entry.iframe.src = entry.url;
      overlay.appendChild(entry.iframe);
      return entry;
    });
    document.body.dataset.impState = "ready";
  }

  function load() {
    var url = SERVICE + "/users/pg/" + encodeURIComponent(state.userCode);
    if (state.tier) url += "?tier=" + encodeURIComponent(state.tier);
    document.body.dataset.impState = "loading";
    jsonp(url, function (body) {
      if (!body || body.code !== 0 || !Array.isArray(body.data)) {
        state.settings = [];
        removeFrames();
        document.body.dataset.impState = "failed";
        return;
      }
      state.settings = body.data;
      preload();
    });
  }

  function start(userCode, tier) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.className = "imp-dialog";
      overlay.style.cssText = "display:none;position:fixed;inset:0;z-index:9999;background:rgba(0,0,0,.5)";
      document.body.appendChild(overlay);
    }
    state.userCode = userCode;
    state.tier = tier || null;
    load();
  }

  function pick(kind, pg) {
    var parts = (pg || "").split(".");
    var candidates = state.frames.filter(function (entry) { return entry.setting.type === kind; });
    var match = candidates.filter(function (entry) {
      return pg && entry.setting.pg_provider === parts[0] &&
        (parts.length < 2 || entry.setting.pg_id === parts.slice(1).join("."));
    });
    return match[0] || candidates[0] || null;
  }

  function closeWindows(pending) {
    if (state.watch) { clearInterval(state.watch); state.watch = null; }
    if (pending && pending.popup && !pending.popup.closed) pending.popup.close();
    overlay.style.display = "none";
  }

  function watchPopup(pending) {
    state.watch = setInterval(function () {
      if (!pending.popup.closed) return;
      clearInterval(state.watch);
      state.watch = null;
      if (state.pending !== pending) return;
      pending.entry.iframe.contentWindow.postMessage(JSON.stringify({
        action: "communicate",
        data: { request_id: pending.id, merchant_uid: pending.param.merchant_uid,
                imp_uid: pending.impUid, result: "proxy.closed" },
        from: "iamport-sdk", version: "1.2.0" }), SERVICE);
    }, 100);
  }

  function request(kind, param, callback) {
    var popup = null;
    var provider = String(param.pg || "").split(".")[0];
    if (POPUP_PGS.indexOf(provider) >= 0 || param.popup === true) {
      // Synchronously, inside the shopper's click: the popup blocker lets it through.
      popup = window.open("about:blank", "iamport_popup", "width=720,height=760");
      if (!popup) { callback({ success: false, error_code: "POPUP_BLOCKED", error_msg: "blocked" }); return; }
    }
    state.lastPopup = popup;
    var entry = state.settings ? pick(kind, param.pg) : null;
    if (!entry) {
      if (popup) popup.close();
      callback({ success: false, error_code: "F1001", error_msg: "no PG setting" });
      return;
    }
    var id = Math.max(Date.now(), state.lastId + 1);
    state.lastId = id;
    var pending = { id: "req_" + id, callback: callback, entry: entry, popup: popup,
                    param: param, impUid: null };
    state.pending = pending;
    var data = Object.assign({}, param, { request_id: pending.id });
    // iamport.js makes up a merchant_uid when the merchant gives none.
    if (!data.merchant_uid) data.merchant_uid = "merchant_" + id;
    if (state.tier) data.tier_code = state.tier;
    var message = JSON.stringify({ action: kind, data: data, origin: location.href,
                                   from: "iamport-sdk", version: "1.2.0" });
    if (!popup) { overlay.style.display = "block"; entry.iframe.style.display = "block"; }
    entry.iframe.classList.add("active");
    var send = function () { entry.iframe.contentWindow.postMessage(message, SERVICE); };
    if (entry.loaded) send(); else entry.onload = send;
    if (popup) watchPopup(pending);
  }

  function submitModal(data) {
    var pending = state.pending;
    if (!pending || !pending.popup || !data || !/^https?:\/\//.test(String(data.action))) return;
    pending.impUid = data.impUid;
    var form = document.createElement("form");
    form.method = "POST";
    form.action = data.action;
    form.target = "iamport_popup";
    Object.keys(data.formData || {}).forEach(function (key) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = key;
      input.value = String(data.formData[key]);
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
    form.remove();
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== SERVICE) return;
    var message;
    try { message = JSON.parse(event.data); } catch (error) { return; }
    if (!message || typeof message !== "object") return;
    state.received.push(String(message.action));
    var data = message.data && typeof message.data === "object" ? message.data : {};
    if (/\.modal$/.test(String(message.action))) { submitModal(data); return; }
    // Not intercepted: the result of the pending request with that id; then every frame
    // is closed and reloaded, whatever the message was.
    var pending = state.pending;
    if (pending && data.request_id === pending.id) {
      state.pending = null;
      closeWindows(pending);
      var rsp = Object.assign({}, data);
      delete rsp.request_id;
      pending.callback(rsp);
    }
    load();
  });

  window.IMP = {
    init: function (userCode) { start(userCode, null); },
    agency: function (userCode, tier) { start(userCode, tier); },
    request_pay: function (param, callback) { request("payment", param || {}, callback); },
    certification: function (param, callback) { request("certification", param || {}, callback); },
  };
  window.IMP_TEST = {
    state: state,
    // Every frame of the current generation has loaded.
    framesReady: function () {
      return document.body.dataset.impState === "ready" &&
        state.frames.every(function (entry) { return entry.loaded; });
    },
    frameUrls: function () { return state.frames.map(function (entry) { return entry.url; }); },
  };
})();

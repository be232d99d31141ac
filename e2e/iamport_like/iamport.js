// A stand-in for Iamport's own iamport.js 1.2.x (and 1.3's checkout-server road, below), as
// the service sees it (issue 10 §1; docs/existing-code.md): settings by JSONP, one hidden frame
// preloaded per setting at init without a request id, the request posted to the matching frame
// later (on its load), ANY message
// from the service origin that it does not intercept taken for the result, after which
// every frame is closed and reloaded (settings included). Popup PGs: an about:blank popup
// named iamport_popup opened synchronously, filled by submitting the frame's <pg>.modal
// form into it; closing it posts communicate/proxy.closed to the frame.
// iamport.js 1.3's checkout-server road (issue 26; docs/protocol.md §9), written from the
// protocol, not copied: request_pay with one of CHECKOUT_PGS (Toss Payments only without
// customer_uid) POSTs {data: {userCode, tierCode, ...param}} to the checkout server's
// /api/prepare/v1, loads the driver its answer names (pg/<provider>/<transaction>/<window>)
// from the driver CDN with window.__PORTONE__.registerDriver in place, and hands it the
// answer: onTransactionOver's rsp goes to the callback as it is, onTransactionFail's failure
// is POSTed to /api/fail/<provider>/v1 and the callback gets that answer's redirectUrl
// parameters; a refused prepare is {code, message} in the callback.
// Test hooks: window.IMP_TEST (state, what was received), body[data-imp-state].
(function () {
  "use strict";
  var SERVICE = "https://service.iamport.kr";
  var CHECKOUT = "https://checkout-service.prod.iamport.co";
  var DRIVERS = "https://cdn.portone.io/drivers";
  var CHECKOUT_PGS = ["tosspayments", "ksnet", "smartro_v2", "nice_v2", "toss_brandpay",
                      "welcome"];
  // The stand-in's driver manifest: driver id -> file (the real one names files by hash).
  var DRIVER_FILES = {};
  CHECKOUT_PGS.forEach(function (code) {
    var id = "pg/" + code.replace(/_/g, "-") + "/payment/iframe";
    DRIVER_FILES[id] = id + "-StandIn0=.js";
  });
  var drivers = {};
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

  // -- iamport.js 1.3's checkout-server road ---------------------------------------------

  function checkoutCode(param) {
    if (typeof param.pg !== "string") return null;
    var code = param.pg.split(".")[0];
    if (code === "tosspayments" && param.customer_uid) return null;
    return CHECKOUT_PGS.indexOf(code) >= 0 ? code : null;
  }

  function cleanupDrivers() {
    Object.keys(drivers).forEach(function (id) {
      if (drivers[id] && drivers[id].onBeforeCleanup) drivers[id].onBeforeCleanup({});
      var script = document.querySelector('script[src="' + DRIVERS + "/" + DRIVER_FILES[id] + '"]');
      if (script) script.remove();
      delete drivers[id];
    });
  }

  // The checkout server's JSON; a refusal rejects with its {code, message}.
  function postJson(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" },
                        body: JSON.stringify(body) }).then(function (answer) {
      return answer.text().then(function (text) {
        if (answer.ok) return JSON.parse(text);
        var refused = { code: "F500", message: text };
        try { var parsed = JSON.parse(text); refused = { code: parsed.code, message: parsed.message }; }
        catch (error) { /* not JSON: F500 with the text */ }
        throw refused;
      });
    });
  }

  function driverId(prepared) {
    var name = function (value) {
      return String(value).replace("PG_PROVIDER_", "").replace(/_/g, "-").toLowerCase();
    };
    return ["pg", name(prepared.pgProvider), name(prepared.transactionType),
            name(prepared.windowType)].join("/");
  }

  function loadDriver(id) {
    if (!DRIVER_FILES[id]) return Promise.reject({ code: "F500", message: "no driver " + id });
    cleanupDrivers();
    window.__PORTONE__ = { registerDriver: function (name, driver) { drivers[name] = driver; } };
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.async = true;
      script.src = DRIVERS + "/" + DRIVER_FILES[id];
      script.onload = function () { resolve(drivers[id]); };
      script.onerror = function () { reject({ code: "F500", message: "driver " + id + " did not load" }); };
      document.body.appendChild(script);
    });
  }

  function reportFailure(failure, callback) {
    var ids = failure.specifier || failure;
    postJson(CHECKOUT + "/api/fail/" + failure.pgProvider + "/v1", {
      storeId: ids.storeId, txId: ids.txId, paymentId: ids.paymentId,
      windowType: failure.windowType, pgCode: failure.pgCode, pgMessage: failure.pgMessage,
      message: failure.message, isDirectReturn: true,
    }).then(function (answer) {
      var query = new URL(answer.redirectUrl, CHECKOUT).searchParams;
      callback({ imp_uid: query.get("imp_uid") || ids.txId,
                 merchant_uid: query.get("merchant_uid") || ids.paymentId,
                 error_code: query.get("error_code") || "F400",
                 error_msg: query.get("error_msg") || failure.message });
    }, function (refused) {
      callback({ imp_uid: ids.txId, merchant_uid: ids.paymentId, error_code: refused.code,
                 error_msg: refused.message });
    });
  }

  function checkoutRequest(param, callback) {
    var data = Object.assign({ userCode: state.userCode, tierCode: state.tier || "" }, param,
                             { actionType: "REQUEST_PAY" });
    var slots = { CORE_SERVER: SERVICE, CHECKOUT_SERVER: CHECKOUT, DRIVER_SERVE_URL: DRIVERS };
    postJson(CHECKOUT + "/api/prepare/v1", {
      data: data, deviceInfo: { platformType: "PLATFORM_TYPE_PC", isIpad: false },
      sdkVersion: "stand-in",
    }).then(function (prepared) {
      return loadDriver(driverId(prepared)).then(function (driver) {
        driver.onAfterPrepare({ slots: slots, driverManifest: DRIVER_FILES, prepareResponse: prepared }, {
          onTransactionOver: function (type, rsp) {
            cleanupDrivers();
            callback(type === "PAYMENT" && rsp && "imp_uid" in rsp ? rsp
              : { merchant_uid: param.merchant_uid, error_code: "F500", error_msg: "not a payment result" });
          },
          onTransactionFail: function (type, failure) { reportFailure(failure, callback); },
        });
      });
    }).catch(function (refused) {
      cleanupDrivers();
      callback({ merchant_uid: param.merchant_uid, error_code: refused.code || "F500",
                 error_msg: refused.message || String(refused) });
    });
  }

  function request(kind, param, callback) {
    if (kind === "payment" && checkoutCode(param)) { checkoutRequest(param, callback); return; }
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

// The sandbox payment window (docs/protocol.md). It takes the request its parent (or
// opener) posts, records it with the sandbox, and posts nothing but its final
// {"action": "done"} to the merchant page's exact origin, as Iamport's own windows do:
// iamport.js takes any message it does not intercept for the result. A popup PG's window
// asks for the popup's content with "<pg>.modal" instead. In mobile redirect mode the
// request arrives in ?request= and the answer leaves by redirecting to m_redirect_url.
// The tester's actions, the readiness marker and the window's facts (kinds, codes, paths,
// texts) are actions.js's (inlined before this).
(() => {
  "use strict";
  const ds = document.body.dataset;
  const query = new URLSearchParams(location.search);
  const redirectRequest = query.get("request");
  // Only our opener (popup) or parent (overlay iframe) may send the request.
  const peer = window.opener || (window.parent !== window ? window.parent : null);
  const $ = (id) => document.getElementById(id);
  let merchantOrigin = null;
  let request = null;
  let payment = null;
  let closeAsked = false;

  const requestId = () => (request && typeof request.request_id === "string"
    ? request.request_id : null);
  const ui = sandboxActions({
    impUid: () => (payment ? payment.imp_uid : null),
    requestId,
    vbankDue: () => request && request.vbank_due,
    deliver: (rsp) => {
      if (redirectRequest !== null) { redirect(rsp); return; }
      const data = Object.assign({}, rsp, { request_id: requestId() });
      peer.postMessage(JSON.stringify({ action: "done", data }), merchantOrigin);
      ui.setState("done");
    },
  });
  const { facts, kind, say, put, status } = ui;

  function safeRedirect(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : null;
    } catch (error) {
      return null;
    }
  }

  function redirect(rsp) {
    const target = safeRedirect(request && request.m_redirect_url);
    if (!target) { ui.showError(say("bad_redirect")); return; }
    target.searchParams.set("imp_uid", rsp.imp_uid || "");
    target.searchParams.set("merchant_uid", rsp.merchant_uid || "");
    target.searchParams.set("imp_success", rsp.success ? "true" : "false");
    if (!rsp.success) {
      target.searchParams.set("error_code", rsp.error_code || "");
      target.searchParams.set("error_msg", rsp.error_msg || "");
    }
    ui.setState("done");
    location.assign(target.href);
  }

  function render(req) {
    put("order-name", req.name);
    put("order-amount", req.amount);
    put("order-currency", req.currency);
    put("order-method", req.pay_method);
    put("order-buyer", [req.buyer_name, req.buyer_email, req.buyer_tel].filter(Boolean).join(" · "));
    put("order-merchant-uid", req.merchant_uid);
    const extra = [];
    if (req.pay_method === "vbank") {
      extra.push(say("vbank_note", { due: req.vbank_due || "-" }));
      put("approve", say("vbank_approve"));
    }
    if (req.customer_uid) {
      extra.push(say("billing_note", { customer_uid: req.customer_uid }));
    }
    if (extra.length) { put("extra", extra.join(" / ")); $("extra").hidden = false; }
    $("order").hidden = false;
    // Of the PG's rules (listed by the page, from the catalog), mark those this request is under.
    for (const rule of document.querySelectorAll("[data-testid=rule]")) {
      const when = JSON.parse(rule.dataset.when || "{}");
      const applies = Object.keys(when).every((name) => req[name] === when[name]);
      rule.dataset.applies = applies ? "yes" : "no";
      rule.querySelector("[data-testid=rule-applies]").hidden = !applies;
    }
  }

  // A popup PG: the merchant page submits this form into the popup it opened (protocol.md §5).
  // Its fields are the PG page's (facts.pgForm): the window's own values, else the request's.
  function askForPopup(req) {
    const own = { imp_uid: payment.imp_uid, request_id: requestId(), user_code: ds.userCode,
                  origin: merchantOrigin, action: ds.action, pg_provider: ds.pgProvider,
                  pg_id: ds.pgId };
    const formData = {};
    for (const name of facts.pgForm) {
      const value = Object.prototype.hasOwnProperty.call(own, name) ? own[name] : req[name];
      if (value != null && value !== "" && typeof value !== "object") formData[name] = String(value);
    }
    const action = location.origin + ui.path("pgPage", payment.imp_uid);
    peer.postMessage(JSON.stringify({ action: `${ds.pgProvider}.modal`,
                                      data: { action, formData, impUid: payment.imp_uid } }),
                     merchantOrigin);
    status(`${say("continue_in_popup")} (imp_uid ${payment.imp_uid})`);
    ui.setState("ready");
  }

  // The request's channelKey chose another setting than this window's (a current
  // iamport.js posts the key to the default window): show, and act as, that one.
  function showSetting(setting) {
    ds.pgProvider = setting.pg_provider;
    ds.pgId = setting.pg_id || "";
    ds.popup = setting.popup ? "yes" : "no";
    put("pg-name", setting.name_ko);
    put("pg-name-en", setting.name_en);
    put("pg-provider", setting.pg_provider);
    document.title = say("title", { pg_name: setting.name_ko });
  }

  const popupWanted = (req) => redirectRequest === null &&
    (ds.popup === "yes" || req.popup === true);

  async function begin(req) {
    request = req;
    ui.setState("opening");
    if (ds.found !== "yes") {
      ui.finish({ success: false, imp_uid: null, merchant_uid: req.merchant_uid,
                  error_code: facts.codes.noSetting, error_msg: say("no_setting") });
      return;
    }
    ui.setLanguage(req.language);
    const popup = popupWanted(req);
    if (popup) status(say("preparing_popup"));
    else if (kind.identity) {
      $("person").hidden = false;
    } else {
      render(req);
    }
    let opened = null;
    try {
      opened = await ui.post(facts.paths.open, {
        action: ds.action, user_code: ds.userCode, pg_provider: ds.pgProvider,
        pg_id: ds.pgId || null, tier_code: ds.tier || req.tier_code || null, request: req,
      });
    } catch (error) {
      ui.showError(say("error", { message: error.message }));
      ui.finish({ success: false, imp_uid: null, merchant_uid: req.merchant_uid,
                  error_code: facts.codes.windowError, error_msg: error.message });
      return;
    }
    if (!opened.success) { ui.finish(opened); return; }
    payment = opened;
    if (opened.sandbox_setting) showSetting(opened.sandbox_setting);
    if (closeAsked) { ui.complete("cancel", {}); return; }
    if (popupWanted(req)) { askForPopup(req); return; }
    status(`${say("choose")} (imp_uid ${payment.imp_uid})`);
    ui.setActions(true);
    ui.setState("ready");
    if (opened.sandbox_preset) ui.runPreset(opened.sandbox_preset);
  }

  if (redirectRequest !== null) {
    let parsed = null;
    try { parsed = JSON.parse(redirectRequest); } catch (error) { parsed = null; }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) begin(parsed);
    else ui.showError(say("unreadable"));
    return;
  }

  function takeRequest(message, origin) {
    const data = message.data;
    if (message.from !== facts.sdkName || message.action !== ds.action || !data ||
        typeof data !== "object" || Array.isArray(data) || typeof data.request_id !== "string" ||
        !data.request_id || data.request_id.length > facts.requestIdMax ||
        !/^https?:\/\//.test(origin)) return;
    merchantOrigin = origin;
    begin(data);
  }

  // The shopper closed the popup: record a user cancel (or read the stored outcome).
  function onCommunicate(message) {
    const data = message.data;
    if (!data || typeof data !== "object" || !facts.closeResults.includes(data.result) ||
        data.request_id !== requestId() || ui.finished()) return;
    if (payment === null) { closeAsked = true; return; }
    ui.complete("cancel", {});
  }

  window.addEventListener("message", (event) => {
    if (!peer || event.source !== peer) return;
    let message = null;
    try { message = JSON.parse(event.data); } catch (error) { return; }
    if (!message || typeof message !== "object") return;
    if (request === null) takeRequest(message, event.origin);
    else if (message.action === "communicate" && event.origin === merchantOrigin) onCommunicate(message);
  });
})();

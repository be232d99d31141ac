// The sandbox payment window (docs/protocol.md). It takes the request its parent (or
// opener) posts, records it with the sandbox, and posts nothing but its final
// {"action": "done"} to the merchant page's exact origin, as Iamport's own windows do:
// iamport.js takes any message it does not intercept for the result. A popup PG's window
// asks for the popup's content with "<pg>.modal" instead. In mobile redirect mode the
// request arrives in ?request= and the answer leaves by redirecting to m_redirect_url.
// The tester's actions and the readiness marker are actions.js's (inlined before this).
(() => {
  "use strict";
  const ds = document.body.dataset;
  const query = new URLSearchParams(location.search);
  const redirectRequest = query.get("request");
  // Only our opener (popup) or parent (overlay iframe) may send the request.
  const peer = window.opener || (window.parent !== window ? window.parent : null);
  const CLOSE_RESULTS = ["proxy.closed", "check.closing"];
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
  const { put, status } = ui;

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
    if (!target) { ui.showError("m_redirect_url이 올바르지 않습니다 · m_redirect_url is not an http(s) URL"); return; }
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
      extra.push(`가상계좌 발급 · A virtual account will be issued (due ${req.vbank_due || "-"})`);
      put("approve", "가상계좌 발급 · Issue virtual account");
    }
    if (req.customer_uid) {
      extra.push(`빌링키 발급 · A billing key will be issued for customer_uid ${req.customer_uid}`);
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
  function askForPopup(req) {
    const shown = { name: req.name, amount: req.amount, currency: req.currency,
                    pay_method: req.pay_method, merchant_uid: req.merchant_uid,
                    buyer_name: req.buyer_name, vbank_due: req.vbank_due, language: req.language,
                    pg_provider: ds.pgProvider, pg_id: ds.pgId };
    const formData = { imp_uid: payment.imp_uid, request_id: requestId(), user_code: ds.userCode,
                       origin: merchantOrigin, action: ds.action };
    for (const [key, value] of Object.entries(shown)) {
      if (value != null && value !== "" && typeof value !== "object") formData[key] = String(value);
    }
    const action = `${location.origin}/sandbox/pg/${encodeURIComponent(payment.imp_uid)}`;
    peer.postMessage(JSON.stringify({ action: `${ds.pgProvider}.modal`,
                                      data: { action, formData, impUid: payment.imp_uid } }),
                     merchantOrigin);
    status(`팝업에서 진행해 주세요 · Continue in the popup (imp_uid ${payment.imp_uid})`);
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
    document.title = `${setting.name_ko} · Iamport sandbox`;
  }

  const popupWanted = (req) => redirectRequest === null &&
    (ds.popup === "yes" || req.popup === true);

  async function begin(req) {
    request = req;
    ui.setState("opening");
    if (ds.found !== "yes") {
      ui.finish({ success: false, imp_uid: null, merchant_uid: req.merchant_uid,
                  error_code: "F1001", error_msg: "PG 설정을 찾을 수 없습니다 (no such PG setting)" });
      return;
    }
    ui.setLanguage(req.language);
    const popup = popupWanted(req);
    if (popup) status("팝업을 준비하는 중… · Preparing the popup…");
    else if (ds.action === "certification") {
      $("person").hidden = false;
      put("approve", "본인인증 완료 · Verify");
    } else {
      render(req);
    }
    let opened = null;
    try {
      opened = await ui.post("/sandbox/windows/open", {
        action: ds.action, user_code: ds.userCode, pg_provider: ds.pgProvider,
        pg_id: ds.pgId || null, tier_code: ds.tier || req.tier_code || null, request: req,
      });
    } catch (error) {
      ui.showError(`오류 · Error: ${error.message}`);
      ui.finish({ success: false, imp_uid: null, merchant_uid: req.merchant_uid,
                  error_code: ds.errorCode, error_msg: error.message });
      return;
    }
    if (!opened.success) { ui.finish(opened); return; }
    payment = opened;
    if (opened.sandbox_setting) showSetting(opened.sandbox_setting);
    if (closeAsked) { ui.complete("cancel", {}); return; }
    if (popupWanted(req)) { askForPopup(req); return; }
    status(`결제를 진행해 주세요 · Choose an outcome (imp_uid ${payment.imp_uid})`);
    ui.setActions(true);
    ui.setState("ready");
    if (opened.sandbox_preset) ui.runPreset(opened.sandbox_preset);
  }

  if (redirectRequest !== null) {
    let parsed = null;
    try { parsed = JSON.parse(redirectRequest); } catch (error) { parsed = null; }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) begin(parsed);
    else ui.showError("요청을 읽을 수 없습니다 · The request could not be read");
    return;
  }

  function takeRequest(message, origin) {
    const data = message.data;
    if (message.from !== "iamport-sdk" || message.action !== ds.action || !data ||
        typeof data !== "object" || Array.isArray(data) || typeof data.request_id !== "string" ||
        !data.request_id || data.request_id.length > 80 || !/^https?:\/\//.test(origin)) return;
    merchantOrigin = origin;
    begin(data);
  }

  // The shopper closed the popup: record a user cancel (or read the stored outcome).
  function onCommunicate(message) {
    const data = message.data;
    if (!data || typeof data !== "object" || !CLOSE_RESULTS.includes(data.result) ||
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

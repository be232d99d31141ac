// The sandbox payment window: receives the SDK's request by postMessage (or, in mobile
// redirect mode, from its own query), records each step with the sandbox, and answers
// the SDK with {"action": "done"} posted to the merchant page's exact origin.
(() => {
  "use strict";
  const ds = document.body.dataset;
  const query = new URLSearchParams(location.search);
  const requestId = query.get("request_id");
  const redirectRequest = query.get("request");
  // Only our opener (popup) or parent (overlay iframe) may send the request.
  const peer = window.opener || (window.parent !== window ? window.parent : null);
  const $ = (id) => document.getElementById(id);
  const testid = (name) => document.querySelector(`[data-testid="${name}"]`);
  let merchantOrigin = null;
  let request = null;
  let payment = null;
  let finished = false;

  // textContent, never innerHTML: everything shown comes from the merchant's page.
  const put = (name, value) => { testid(name).textContent = value == null ? "" : String(value); };
  const status = (text) => put("status", text);

  async function post(url, data) {
    const answer = await fetch(url, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data),
    });
    const body = await answer.json().catch(() => null);
    if (!answer.ok || !body || body.code !== 0) {
      throw new Error((body && body.message) || `HTTP ${answer.status}`);
    }
    return body.response;
  }

  function safeRedirect(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : null;
    } catch (error) {
      return null;
    }
  }

  function answer(rsp) {
    if (finished) return;
    finished = true;
    $("actions").hidden = true;
    status(rsp.success ? "완료되었습니다 · Done" : `실패 · Failed: ${rsp.error_code || ""} ${rsp.error_msg || ""}`);
    const data = Object.assign({}, rsp, { request_id: request ? request.request_id : requestId });
    if (redirectRequest !== null) {
      const target = safeRedirect(request && request.m_redirect_url);
      if (!target) { status("m_redirect_url이 올바르지 않습니다 · m_redirect_url is not an http(s) URL"); return; }
      target.searchParams.set("imp_uid", rsp.imp_uid || "");
      target.searchParams.set("merchant_uid", rsp.merchant_uid || "");
      target.searchParams.set("imp_success", rsp.success ? "true" : "false");
      if (!rsp.success) {
        target.searchParams.set("error_code", rsp.error_code || "");
        target.searchParams.set("error_msg", rsp.error_msg || "");
      }
      location.assign(target.href);
      return;
    }
    peer.postMessage(JSON.stringify({ action: "done", data }), merchantOrigin);
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
  }

  async function begin(req) {
    request = req;
    if (ds.found !== "yes") {
      answer({ success: false, imp_uid: null, merchant_uid: req.merchant_uid, error_code: "F1001",
               error_msg: "PG 설정을 찾을 수 없습니다 (no such PG setting)" });
      return;
    }
    if (ds.action === "certification") {
      $("person").hidden = false;
      put("approve", "본인인증 완료 · Verify");
    } else {
      render(req);
    }
    try {
      payment = await post("/sandbox/windows/open", {
        action: ds.action, user_code: ds.userCode, pg_provider: ds.pgProvider,
        pg_id: ds.pgId || null, request: req,
      });
    } catch (error) {
      answer({ success: false, imp_uid: null, merchant_uid: req.merchant_uid,
               error_code: "WINDOW_ERROR", error_msg: error.message });
      return;
    }
    if (!payment.success) { answer(payment); return; }
    status(`결제를 진행해 주세요 · Choose an outcome (imp_uid ${payment.imp_uid})`);
    $("actions").hidden = false;
  }

  async function complete(outcome, extra) {
    for (const button of document.querySelectorAll("#actions button")) button.disabled = true;
    try {
      answer(await post(`/sandbox/windows/${encodeURIComponent(payment.imp_uid)}/complete`,
                        Object.assign({ user_code: ds.userCode, request_id: request.request_id,
                                        outcome }, extra)));
    } catch (error) {
      status(`오류 · Error: ${error.message}`);
      for (const button of document.querySelectorAll("#actions button")) button.disabled = false;
    }
  }

  $("approve").addEventListener("click", () => {
    if (ds.action === "certification") {
      complete("certify", { person: { name: $("person-name").value, phone: $("person-phone").value } });
    } else {
      complete("approve", { vbank_due: request.vbank_due || null });
    }
  });
  $("decline").addEventListener("click", () => complete("decline", {
    error_code: $("decline-code").value, error_msg: $("decline-msg").value }));
  $("cancel").addEventListener("click", () => complete("cancel", {}));

  if (redirectRequest !== null) {
    let parsed = null;
    try { parsed = JSON.parse(redirectRequest); } catch (error) { parsed = null; }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) begin(parsed);
    else status("요청을 읽을 수 없습니다 · The request could not be read");
    return;
  }

  window.addEventListener("message", (event) => {
    if (!peer || event.source !== peer || request !== null) return;
    let message = null;
    try { message = JSON.parse(event.data); } catch (error) { return; }
    if (!message || message.from !== "iamport-sdk" || message.action !== ds.action ||
        !message.data || message.data.request_id !== requestId) return;
    merchantOrigin = event.origin;
    begin(message.data);
  });
  // "ready" carries nothing but the id we were opened with, so "*" reveals nothing.
  if (peer) peer.postMessage(JSON.stringify({ action: "ready", data: { request_id: requestId } }), "*");
})();

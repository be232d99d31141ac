// The sandbox PG page: what a popup PG shows in the merchant page's popup after the
// window's "<pg>.modal" (docs/protocol.md §5). It records the tester's outcome through
// the window's completion endpoint (the request id is the proof) and posts the final
// {"action": "done"} to window.opener, at the merchant origin the form named.
(() => {
  "use strict";
  const ds = document.body.dataset;
  const $ = (id) => document.getElementById(id);
  let busy = false;
  let finished = false;

  const setState = (state) => { ds.windowState = state; };
  const status = (text) => { $("status").textContent = text; };
  const showError = (text) => { $("error").textContent = text; $("error").hidden = false; setState("error"); };
  const buttons = () => document.querySelectorAll("#actions button");
  const usable = () => window.opener !== null && !busy && !finished;

  function setActions(on) {
    for (const button of buttons()) button.disabled = !on;
    $("actions").hidden = !on;
  }

  async function complete(outcome, extra) {
    if (!usable()) return;
    busy = true;
    for (const button of buttons()) button.disabled = true;
    try {
      const answer = await fetch(`/sandbox/windows/${encodeURIComponent(ds.impUid)}/complete`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ user_code: ds.userCode, request_id: ds.requestId,
                                             outcome }, extra)),
      });
      const body = await answer.json().catch(() => null);
      if (!answer.ok || !body || body.code !== 0) {
        throw new Error((body && body.message) || `HTTP ${answer.status}`);
      }
      finish(body.response);
    } catch (error) {
      showError(`오류 · Error: ${error.message}`);
      for (const button of buttons()) button.disabled = false;
    } finally {
      busy = false;
    }
  }

  function finish(rsp) {
    finished = true;
    setActions(false);
    status(rsp.success ? "완료되었습니다 · Done" : `실패 · Failed: ${rsp.error_code || ""} ${rsp.error_msg || ""}`);
    const data = Object.assign({}, rsp, { request_id: ds.requestId });
    // The merchant page that opened us, at the origin its window recorded: never "*".
    window.opener.postMessage(JSON.stringify({ action: "done", data }), ds.origin);
    setState("done");
  }

  $("approve").addEventListener("click", () => {
    if (ds.action === "certification") {
      complete("certify", { person: { name: $("person-name").value, phone: $("person-phone").value } });
    } else {
      complete("approve", { vbank_due: ds.vbankDue || null });
    }
  });
  $("decline").addEventListener("click", () => complete("decline", {
    error_code: $("decline-code").value, error_msg: $("decline-msg").value }));
  $("cancel").addEventListener("click", () => complete("cancel", {}));

  setState("waiting");
  if (!window.opener) {
    showError("이 페이지는 결제 팝업으로만 열립니다 · This page only works as the payment popup");
    return;
  }
  setActions(true);
  setState("ready");
  // The test kit's preset outcome for this order (README: Test kit): answer as if clicked.
  const preset = ds.preset ? JSON.parse(ds.preset) : null;
  if (preset) {
    setTimeout(() => {
      if (preset.outcome === "approve") $("approve").click();
      else if (preset.outcome === "cancel") $("cancel").click();
      else complete("decline", { error_code: preset.error_code || $("decline-code").value,
                                 error_msg: preset.error_msg || $("decline-msg").value });
    }, preset.delay_ms || 0);
  }
})();

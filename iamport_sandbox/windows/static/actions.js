// The tester's actions (templates/window_actions.html), one source for the payment window
// (window.js) and the sandbox PG page (pg.js): the readiness marker, buttons hidden and
// disabled until "ready", one outcome recorded through the window's completion endpoint,
// the decline message following the chosen code, the test kit's preset outcome.
// body[data-window-state]: waiting, opening, ready, done, error (protocol.md §6).
//
// `page` tells what differs: impUid() and requestId() (null until known: clicks do
// nothing), vbankDue(), and deliver(rsp), which hands the final answer to the merchant.
// The window's facts (its kinds, codes, paths, texts: iamport_sandbox/windows/facts.py)
// are written in below as the page is served; the page scripts get them as `ui.facts`.
function sandboxActions(page) {
  "use strict";
  const facts = /* window facts */ null;
  const ds = document.body.dataset;
  const kind = facts.kinds[ds.action];
  // A text of the facts, its {name}s filled in from `values`.
  const say = (name, values) => facts.texts[name].replace(
    /\{(\w+)\}/g, (_, key) => (values && values[key] != null ? String(values[key]) : ""));
  // A path of the facts, its {imp_uid} filled in.
  const path = (name, impUid) => facts.paths[name].replace("{imp_uid}", encodeURIComponent(impUid));
  const $ = (id) => document.getElementById(id);
  let busy = false;
  let finished = false;

  const setState = (state) => { ds.windowState = state; };
  // textContent, never innerHTML: everything shown comes from the merchant's page.
  const testid = (name) => document.querySelector(`[data-testid="${name}"]`);
  const put = (name, value) => { testid(name).textContent = value == null ? "" : String(value); };
  const status = (text) => put("status", text);
  // An error gets its own line: later status updates never paint over it.
  const showError = (text) => { put("error", text); $("error").hidden = false; setState("error"); };
  const buttons = () => document.querySelectorAll("#actions button");
  const usable = () => page.impUid() !== null && page.requestId() !== null && !busy && !finished;

  function setActions(on) {
    for (const button of buttons()) button.disabled = !on;
    $("actions").hidden = !on;
  }

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

  // The one exit: the buttons go, the outcome shows, the merchant gets its answer once.
  function finish(rsp) {
    if (finished) return;
    finished = true;
    setActions(false);
    status(rsp.success ? say("done") : say("failed", { code: rsp.error_code, message: rsp.error_msg }));
    page.deliver(rsp);
  }

  async function complete(outcome, extra) {
    if (!usable()) return;  // clicks before "ready" (or after the answer) do nothing
    busy = true;
    for (const button of buttons()) button.disabled = true;
    try {
      finish(await post(path("complete", page.impUid()),
                        Object.assign({ user_code: ds.userCode, request_id: page.requestId(),
                                        outcome }, extra)));
    } catch (error) {
      showError(say("error", { message: error.message }));
      for (const button of buttons()) button.disabled = false;
    } finally {
      busy = false;
    }
  }

  // The message box follows the chosen code, in the request's language (Iamport's default
  // is Korean); a message the tester typed stays.
  let language = "ko";
  const messageOf = (option) => (language === "en" ? option.dataset.msgEn : option.dataset.msgKo);
  const presetMessages = () => Array.from($("decline-code").options)
    .flatMap((option) => [option.dataset.msgKo, option.dataset.msgEn]);
  function followCode() {
    const box = $("decline-msg");
    if (box.value === "" || presetMessages().includes(box.value)) {
      box.value = messageOf($("decline-code").selectedOptions[0]);
    }
  }
  function setLanguage(value) {
    language = value === "en" ? "en" : "ko";
    followCode();
  }
  $("decline-code").addEventListener("change", followCode);

  const decline = () => complete("decline", {
    error_code: $("decline-code").value, error_msg: $("decline-msg").value });

  // The test kit's preset outcome for this order (README: Test kit): answer as if clicked.
  function runPreset(preset) {
    setTimeout(() => {
      if (preset.outcome === "approve") $("approve").click();
      else if (preset.outcome === "cancel") $("cancel").click();
      else complete("decline", { error_code: preset.error_code || $("decline-code").value,
                                 error_msg: preset.error_msg || $("decline-msg").value });
    }, preset.delay_ms || 0);
  }

  $("approve").addEventListener("click", () => {
    if (kind.identity) {
      complete(kind.approve, { person: { name: $("person-name").value, phone: $("person-phone").value } });
    } else {
      complete(kind.approve, { vbank_due: page.vbankDue() || null });
    }
  });
  $("decline").addEventListener("click", decline);
  $("cancel").addEventListener("click", () => complete("cancel", {}));
  setState("waiting");

  return { facts, kind, say, path, setState, put, status, showError, setActions, post, finish,
           complete, runPreset, setLanguage, finished: () => finished };
}

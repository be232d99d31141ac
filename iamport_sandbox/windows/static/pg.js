// The sandbox PG page: what a popup PG shows in the merchant page's popup after the
// window's "<pg>.modal" (docs/protocol.md §5). It records the tester's outcome through
// the window's completion endpoint (the request id is the proof) and posts the final
// {"action": "done"} to window.opener, at the merchant origin the form named.
// The tester's actions and the readiness marker are actions.js's (inlined before this).
(() => {
  "use strict";
  const ds = document.body.dataset;
  const ui = sandboxActions({
    impUid: () => (window.opener ? ds.impUid : null),
    requestId: () => ds.requestId,
    vbankDue: () => ds.vbankDue,
    deliver: (rsp) => {
      const data = Object.assign({}, rsp, { request_id: ds.requestId });
      // The merchant page that opened us, at the origin its window recorded: never "*".
      window.opener.postMessage(JSON.stringify({ action: "done", data }), ds.origin);
      ui.setState("done");
    },
  });

  if (!window.opener) {
    ui.showError(ui.say("popup_only"));
    return;
  }
  ui.setLanguage(ds.language);
  ui.setActions(true);
  ui.setState("ready");
  if (ds.preset) ui.runPreset(JSON.parse(ds.preset));
})();

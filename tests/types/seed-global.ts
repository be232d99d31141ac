// The seed guide's three examples (seed/multiple-pg-settings.txt), verbatim, on window.IMP
// (imp.js's tag): `pg` is deprecated but still typed, with and without a MID.
IMP.init("imp10000001");

function exampleKakaoPay(): void {
IMP.request_pay({
pg : "kakaopay", // Call KakaoPay payment window
amount : 1000,
name : "Test order",
buyer_name : "Buyer",
buyer_email : "buyer@iamport.kr"
});
}

function exampleInicisB(): void {
IMP.request_pay({
pg : "html5_inicis.MID-b", // Call KG Inicis recurring payment window (merchant ID MID-b is applied)
amount : 1000,
name : "Test order",
buyer_name : "Buyer",
buyer_email : "buyer@iamport.kr"
});
}

function exampleInicisA(): void {
IMP.request_pay({
pg : "html5_inicis.MID-a", // Call KG Inicis general payment window (merchant ID MID-a is applied)
amount : 1000,
name : "Test order",
buyer_name : "Buyer",
buyer_email : "buyer@iamport.kr"
});
}

window.IMP.request_pay({ pg: "", amount: 1000, name: "Test order" }, (rsp) => {
  const sdk: "iamport-py" = window.IMP.sdk;
  console.log(sdk, rsp.success, rsp.imp_uid, rsp.error_code, rsp.error_msg);
});

document.getElementById("kakaopay")?.addEventListener("click", exampleKakaoPay);
document.getElementById("inicis-b")?.addEventListener("click", exampleInicisB);
document.getElementById("inicis-a")?.addEventListener("click", exampleInicisA);

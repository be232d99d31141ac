// The seed guide's examples through the ES module, as iamport.esm.js is imported.
import * as IMP from "./imp.esm.js";

IMP.init("imp10000001");

export function exampleKakaoPay(): void {
  IMP.request_pay({
    pg: "kakaopay", // Call KakaoPay payment window
    amount: 1000,
    name: "Test order",
    buyer_name: "Buyer",
    buyer_email: "buyer@iamport.kr",
  });
}

export function exampleInicisB(): void {
  IMP.request_pay({
    pg: "html5_inicis.MID-b", // Call KG Inicis recurring payment window (MID-b)
    amount: 1000,
    name: "Test order",
    buyer_name: "Buyer",
    buyer_email: "buyer@iamport.kr",
  }, (rsp) => {
    if (rsp.success) console.log(rsp.imp_uid, rsp.pg_provider, rsp.pg_id, rsp.paid_amount);
    else console.log(rsp.error_code, rsp.error_msg);
  });
}

export async function exampleInicisA(): Promise<boolean> {
  const rsp = await IMP.request_pay({
    pg: "html5_inicis.MID-a", // Call KG Inicis general payment window (MID-a)
    amount: 1000,
    name: "Test order",
    buyer_name: "Buyer",
    buyer_email: "buyer@iamport.kr",
  });
  return rsp.success;
}

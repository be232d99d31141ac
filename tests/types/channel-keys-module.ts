// The current guide's examples through the ES module, and the module's other exports.
import * as IMP from "./imp.esm.js";
import IMPDefault, { slots, type RequestPayParams, type RequestPayResponse } from "./imp.esm.js";

IMP.init("imp10000001");
IMPDefault.agency("imp10000001", "A01", { preload_windows: false });

const param: RequestPayParams = {
  channelKey: "channel-key-98765432-9876-5432-1098-987654321098",
  pay_method: "kakaopay",
  amount: 1000,
  currency: "krw",
  language: "ko",
  name: "테스트 주문",
  buyer_name: "구매자",
  buyer_email: "buyer@iamport.kr",
  custom_data: { cart: [1, 2, 3], coupon: null },
  display: { card_quota: [2, 3] },
  card: { direct: { code: "367", quota: 3 } },
  bypass: { paypal_v2: { additional_data: [{ key: "sender_account_id", value: "A1" }] } },
  vbank_due: "20301231",
  digital: true,
};

export async function pay(): Promise<RequestPayResponse> {
  const rsp = await IMP.request_pay(param);
  if (!rsp.success && rsp.error_code === "F0005") console.log("cancelled by the shopper");
  return rsp;
}

export function ui(): void {
  IMP.loadUI("paypal-spb", param, (rsp) => console.log(rsp.error_code)); // UNKNOWN_METHOD
  IMP.deinit();
  console.log(slots.CORE_SERVER, slots.SDK_VERSION);
}

export function noEquivalent(): void {
  try {
    IMP.naver_zzim({ naverProducts: [] });
  } catch (error) {
    console.log((error as Error).message);
  }
}

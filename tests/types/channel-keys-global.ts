// The current guide's examples (seed/current-edition-channel-keys.md): settings chosen by
// channelKey, on window.IMP.
const NICE_AUTHENTICATED = "channel-key-12345678-1234-5678-9012-123456789012";
const NICE_NON_AUTHENTICATED = "channel-key-abcdefgh-abcd-efgh-ijkl-abcdefghijkl";
const KAKAOPAY = "channel-key-98765432-9876-5432-1098-987654321098";

IMP.init("imp10000001", { service: "http://127.0.0.1:8000", language: "en" });

IMP.request_pay({
  channelKey: KAKAOPAY,
  amount: 1000,
  name: "테스트 주문",
  buyer_name: "구매자",
  buyer_email: "buyer@iamport.kr",
});

IMP.request_pay({
  channelKey: NICE_AUTHENTICATED,
  pay_method: "card",
  merchant_uid: "order-" + Date.now(),
  amount: 1000,
  name: "Test order",
  confirm_url: "https://shop.example/payments/confirm",
  notice_url: ["https://shop.example/webhook", "https://backup.example/webhook"],
  m_redirect_url: "https://shop.example/payments/complete",
}, (rsp) => {
  if (rsp.status === "paid") console.log(rsp.imp_uid, rsp.receipt_url);
});

// A billing key: customer_uid, amount 0 (the key alone).
IMP.request_pay({
  channelKey: NICE_NON_AUTHENTICATED,
  pay_method: "card",
  amount: 0,
  customer_uid: "customer-1",
  customer_id: "buyer-1",
});

IMP.certification({ channelKey: "channel-key-danal", merchant_uid: "cert-1", popup: false,
                    m_redirect_url: "https://shop.example/certified" },
                  (rsp) => console.log(rsp.success, rsp.certified, rsp.unique_key));

void IMP.request_pay({ channelKey: KAKAOPAY, amount: 1000 }).then((rsp) => rsp.error_code);
IMP.close();

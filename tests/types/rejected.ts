// What the declarations refuse: each line below must be a type error (tsc fails on an
// unused @ts-expect-error, so a declaration that stops refusing one fails make types).
import * as IMP from "./imp.esm.js";

// @ts-expect-error amount is a number, not an object
IMP.request_pay({ channelKey: "channel-key-1", amount: { value: 1000 } });
// @ts-expect-error amount is a number, not a string
IMP.request_pay({ pg: "kakaopay", amount: "1000" });
// @ts-expect-error amount is required
IMP.request_pay({ pg: "kakaopay", name: "Test order" });
// @ts-expect-error an unknown pay_method
IMP.request_pay({ pg: "kakaopay", pay_method: "bitcoin", amount: 1000 });
// @ts-expect-error an unknown PG code (a typo of html5_inicis)
IMP.request_pay({ pg: "html5_inicsi.MID-b", amount: 1000 });
// @ts-expect-error a currency no PG of the catalog takes
IMP.request_pay({ pg: "paypal", amount: 10, currency: "XYZ" });
// @ts-expect-error channelKey is a string
IMP.request_pay({ channelKey: 1234, amount: 1000 });
// @ts-expect-error digital is a boolean
IMP.request_pay({ pg: "danal", pay_method: "phone", amount: 1000, digital: "yes" });
// @ts-expect-error notice_url: a string or strings
IMP.request_pay({ pg: "kcp", amount: 1000, notice_url: [1] });
// @ts-expect-error a certification takes no amount
IMP.certification({ pg: "danal", amount: 1000 });
// @ts-expect-error init needs the user code
IMP.init();
// @ts-expect-error the rsp's success is a boolean
IMP.request_pay({ pg: "kakaopay", amount: 1000 }, (rsp) => { const s: string = rsp.success; return s; });
// @ts-expect-error slots are read-only
IMP.slots.CORE_SERVER = "https://service.iamport.kr";

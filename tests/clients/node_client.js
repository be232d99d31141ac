// The published Node client (iamport-rest-client-nodejs, pinned in package.json), unchanged,
// against a running sandbox: every method whose endpoint the sandbox serves, in order.
// Input: one JSON argument {baseUrl, key, secret, imp_uid, merchant_uid, customer_uid,
// certification, issue11: {card, trans_imp_uid, escrow_imp_uid, certification, schedule_at,
// vbank_due}}. Output: one JSON line, {call name: outcome}; the pytest side judges it.
// A call may read earlier outcomes (e.g. the imp_uid of the virtual account just issued).
'use strict';

const { Iamport, Request } = require('iamport-rest-client-nodejs');

const {
  Payments, Prepare, Subscribe, Certifications, Customers, Vbanks, Receipts, Escrows, Banks, Cards,
} = Request;
const input = JSON.parse(process.argv[2]);
const iamport = new Iamport({ apiKey: input.key, apiSecret: input.secret, baseUrl: input.baseUrl });

// The client resolves with the axios response ({status, data: {code, message, response}}),
// rejects a refusal (HTTP 200, code != 0) as {response: {data}} and an HTTP error as axios does.
async function outcome(request) {
  try {
    const answer = await request.request(iamport);
    return {
      ok: true, status: answer.status, code: answer.data.code, response: answer.data.response,
      failed: answer.data.failed,
    };
  } catch (error) {
    const response = error.response || {};
    const data = response.data || {};
    return {
      ok: false, status: response.status === undefined ? null : response.status,
      code: data.code === undefined ? null : data.code, message: data.message || String(error),
    };
  }
}

async function main() {
  const uid = input.merchant_uid;
  const calls = [
    ['getByImpUid', () => Payments.getByImpUid({ imp_uid: input.imp_uid })],
    ['getByMerchantUid.paid', () => Payments.getByMerchantUid({ merchant_uid: uid, status: 'paid', sorting: '-started' })],
    ['getByMerchantUid.all', () => Payments.getByMerchantUid({ merchant_uid: uid, status: 'all' })],
    ['getByImpUid.unknown', () => Payments.getByImpUid({ imp_uid: 'imp_000000000000' })],
    ['Prepare.postAmount', () => Prepare.postAmount({ merchant_uid: 'node-prep-' + uid, amount: 4500 })],
    ['Prepare.postAmount.again', () => Prepare.postAmount({ merchant_uid: 'node-prep-' + uid, amount: 4500 })],
    ['Prepare.getAmount', () => Prepare.getAmount({ merchant_uid: 'node-prep-' + uid })],
    ['Subscribe.again', () => Subscribe.again({
      customer_uid: input.customer_uid, merchant_uid: 'node-again-' + uid, amount: 2000, name: 'Monthly',
    })],
    ['Subscribe.again.unknown', () => Subscribe.again({
      customer_uid: 'nobody', merchant_uid: 'node-again-x-' + uid, amount: 2000, name: 'Monthly',
    })],
    ['Certifications.getCertification', () => Certifications.getCertification({ imp_uid: input.certification })],
    ['Payments.cancel.partial', () => Payments.cancel({ imp_uid: input.imp_uid, amount: 300, reason: 'one item' })],
    ['Payments.cancel.rest', () => Payments.cancel({ merchant_uid: uid, reason: 'all of it' })],
    ['Payments.cancel.again', () => Payments.cancel({ imp_uid: input.imp_uid, reason: 'twice' })],
    ['Payments.cancel.unknown', () => Payments.cancel({ imp_uid: 'imp_000000000000', reason: 'none' })],
  ];
  const outcomes = {};
  for (const [name, make] of calls.concat(issue11Calls(input.issue11 || {}))) {
    outcomes[name] = await outcome(make(outcomes));
  }
  process.stdout.write(JSON.stringify(outcomes) + '\n');
}

// The endpoints of issue 11: billing keys, schedules, listings, virtual accounts, receipts,
// escrow shipping, code tables.
function issue11Calls(more) {
  const card = more.card;
  const party = { name: 'Kim', tel: '01012345678', addr: 'Seoul', postcode: '04524' };
  const logis = { company: 'CJGLS', invoice: '123456789012', sent_at: 1700000000 };
  const schedule = (uid, amount) => ({ merchant_uid: uid, schedule_at: more.schedule_at, amount });
  const vbank = (outs) => outs['Vbanks.post'].response.imp_uid;
  return [
    ['Customers.postBillingKey', () => Customers.postBillingKey(Object.assign({
      customer_uid: 'node-cust-2', customer_name: '홍길동', customer_tel: '01012345678',
      customer_email: 'b@example.com', customer_addr: 'Seoul', customer_postcode: '04524',
    }, card))],
    ['Customers.getBillingKey', () => Customers.getBillingKey({ customer_uid: 'node-cust-2' })],
    ['Customers.getBillingKeys', () => Customers.getBillingKeys({ customer_uid: ['node-cust-2', 'node-none'] })],
    ['Subscribe.onetime', () => Subscribe.onetime(Object.assign({
      merchant_uid: 'node-once-1', amount: 3000, name: 'Once', customer_uid: 'node-cust-3',
    }, card))],
    ['Subscribe.schedule', () => Subscribe.schedule({
      customer_uid: 'node-cust-2', schedules: [schedule('node-s-1', 5000), schedule('node-s-2', 6000)],
    })],
    ['Subscribe.getScheduled', () => Subscribe.getScheduled({ merchant_uid: 'node-s-1' })],
    ['Subscribe.getScheduleds', () => Subscribe.getScheduleds({ customer_uid: 'node-cust-2' })],
    ['Customers.getScheduleds', () => Customers.getScheduleds({ customer_uid: 'node-cust-2', 'schedule-status': 'scheduled' })],
    ['Subscribe.unschedule', () => Subscribe.unschedule({ customer_uid: 'node-cust-2', merchant_uid: 'node-s-2' })],
    ['Subscribe.unschedule.nothing', () => Subscribe.unschedule({ customer_uid: 'node-cust-2', merchant_uid: 'node-s-2' })],
    ['Customers.deleteBillingKey.scheduled', () => Customers.deleteBillingKey({ customer_uid: 'node-cust-2' })],
    ['Customers.getPayments', () => Customers.getPayments({ customer_uid: 'node-cust-3', page: 1 })],
    ['Customers.deleteBillingKey', () => Customers.deleteBillingKey({ customer_uid: 'node-cust-3' })],
    ['Customers.getBillingKey.deleted', () => Customers.getBillingKey({ customer_uid: 'node-cust-3' })],
    ['Payments.getByImpUids', () => Payments.getByImpUids({ imp_uid: [input.imp_uid, 'imp_000000000000'] })],
    ['Payments.getByMerchantUids', () => Payments.getByMerchantUids({
      merchant_uid: input.merchant_uid, status: 'all', sorting: '-started', page: 1,
    })],
    ['Payments.getByStatus', () => Payments.getByStatus({ status: 'paid', page: 1, limit: 50, sorting: '-started' })],
    ['Payments.getAmountByImpUid', () => Payments.getAmountByImpUid({ imp_uid: input.imp_uid })],
    ['Vbanks.post', () => Vbanks.post({
      merchant_uid: 'node-vbank-1', amount: 30000, vbank_code: '004', vbank_due: more.vbank_due,
      vbank_holder: 'Node shop', name: 'Order',
    })],
    ['Vbanks.put', (outs) => Vbanks.put({ imp_uid: vbank(outs), amount: 25000 })],
    ['Vbanks.delete', (outs) => Vbanks.delete({ imp_uid: vbank(outs) })],
    ['Vbanks.getHolder', () => Vbanks.getHolder({ bank_code: '088', bank_num: '110123456789' })],
    ['Receipts.postReceipt', () => Receipts.postReceipt({
      imp_uid: more.trans_imp_uid, identifier: '01012345678', identifier_type: 'phone', type: 'person',
    })],
    ['Receipts.getReceipt', () => Receipts.getReceipt({ imp_uid: more.trans_imp_uid })],
    ['Receipts.deleteReceipt', () => Receipts.deleteReceipt({ imp_uid: more.trans_imp_uid })],
    ['Escrows.postEscrow', () => Escrows.postEscrow({
      imp_uid: more.escrow_imp_uid, sender: party, receiver: party, logis,
    })],
    ['Escrows.putEscrow', () => Escrows.putEscrow({
      imp_uid: more.escrow_imp_uid, sender: party, receiver: party, logis: Object.assign({}, logis, { invoice: '999' }),
    })],
    ['Banks.getBanks', () => Banks.getBanks()],
    ['Banks.getBank', () => Banks.getBank({ code: '088' })],
    ['Cards.getCards', () => Cards.getCards()],
    ['Cards.getCard', () => Cards.getCard({ code: '366' })],
    ['Certifications.deleteCertification', () => Certifications.deleteCertification({ imp_uid: more.certification })],
  ];
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(1);
});

// The published Node client (iamport-rest-client-nodejs, pinned in package.json), unchanged,
// against a running sandbox: every method whose endpoint the sandbox serves, in order.
// Input: one JSON argument {baseUrl, key, secret, imp_uid, merchant_uid, customer_uid,
// certification}. Output: one JSON line, {call name: outcome}; the pytest side judges it.
'use strict';

const { Iamport, Request } = require('iamport-rest-client-nodejs');

const { Payments, Prepare, Subscribe, Certifications } = Request;
const input = JSON.parse(process.argv[2]);
const iamport = new Iamport({ apiKey: input.key, apiSecret: input.secret, baseUrl: input.baseUrl });

// The client resolves with the axios response ({status, data: {code, message, response}}),
// rejects a refusal (HTTP 200, code != 0) as {response: {data}} and an HTTP error as axios does.
async function outcome(request) {
  try {
    const answer = await request.request(iamport);
    return { ok: true, status: answer.status, code: answer.data.code, response: answer.data.response };
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
  for (const [name, make] of calls) {
    outcomes[name] = await outcome(make());
  }
  process.stdout.write(JSON.stringify(outcomes) + '\n');
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(1);
});

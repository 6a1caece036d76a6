// Query protocol shapes as in the botocore "query" serializer/parser: `Name.member.N` lists and
// `<OpResponse><OpResult>` bodies; error bodies `<ErrorResponse><Error><Type><Code><Message>`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  escapeXml,
  isoSeconds,
  parseQueryParams,
  queryStringList,
  queryStructList,
  renderQueryError,
  renderQueryResponse,
} from './query-xml.ts';

test('form bodies decode lists of strings and of structures in index order', () => {
  const p = parseQueryParams(
    'Action=TagRole&Tags.member.2.Key=b&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.2.Value=&TagKeys.member.1=x%2Fy',
  );
  assert.deepEqual(queryStructList(p, 'Tags', ['Key', 'Value']), [
    { Key: 'a', Value: '1' },
    { Key: 'b', Value: '' },
  ]);
  assert.deepEqual(queryStringList(p, 'TagKeys'), ['x/y']);
  assert.equal(queryStringList(p, 'Missing'), undefined);
  assert.deepEqual(queryStringList(parseQueryParams('TagKeys='), 'TagKeys'), [], 'an explicitly empty list');
});

test('form bodies decode exactly as URLSearchParams does, malformed escapes included', () => {
  const viaUrlSearchParams = (body: string, query = '') => {
    const m = new Map<string, string>();
    for (const source of [query, body]) for (const [k, v] of new URLSearchParams(source)) m.set(k, v);
    return m;
  };
  const bodies = [
    'Action=PutRolePolicy&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D&RoleName=r',
    'a=1+2&b=%2B&c=x%20y&d=%E2%82%AC&e=€',
    '&&a=1&&b&=v&c=&a=2',
    'bad=%zz&stray=%&half=%E',
    'latin1=%E9&overlong=%C0%AF',
    '?a=1&b=2',
    '',
    '=',
    'k=v=w',
  ];
  for (const body of bodies)
    assert.deepEqual(parseQueryParams(body), viaUrlSearchParams(body), JSON.stringify(body));
  assert.deepEqual(
    parseQueryParams('Action=B&x=2', 'Action=A&y=1'),
    viaUrlSearchParams('Action=B&x=2', 'Action=A&y=1'),
    'the body wins over the URL query',
  );
  assert.equal(parseQueryParams('Action=B', 'Action=A').get('Action'), 'B');
});

test('responses nest results, render lists as <member> and escape text', () => {
  const xml = renderQueryResponse({
    operation: 'GetRole',
    namespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
    requestId: 'r-1',
    result: {
      Role: {
        RoleName: 'a<b>&"c"',
        MaxSessionDuration: 3600,
        Tags: [{ Key: 'k', Value: 'v' }],
        Skip: undefined,
      },
    },
  });
  assert.equal(
    xml,
    '<?xml version="1.0" encoding="UTF-8"?>\n<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">' +
      '<GetRoleResult><Role><RoleName>a&lt;b&gt;&amp;&quot;c&quot;</RoleName><MaxSessionDuration>3600</MaxSessionDuration>' +
      '<Tags><member><Key>k</Key><Value>v</Value></member></Tags></Role></GetRoleResult>' +
      '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetRoleResponse>',
  );
});

test('operations without output render only the response metadata', () => {
  const xml = renderQueryResponse({ operation: 'DeleteRole', namespace: 'ns', requestId: 'r' });
  assert.match(xml, /<DeleteRoleResponse xmlns="ns"><ResponseMetadata>/);
  assert.doesNotMatch(xml, /DeleteRoleResult/);
});

test('errors carry Type, Code, Message and RequestId', () => {
  assert.equal(
    renderQueryError({
      namespace: 'ns',
      code: 'NoSuchEntity',
      message: 'x & y',
      sender: true,
      requestId: 'r',
    }),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="ns"><Error><Type>Sender</Type>' +
      '<Code>NoSuchEntity</Code><Message>x &amp; y</Message></Error><RequestId>r</RequestId></ErrorResponse>',
  );
  assert.match(
    renderQueryError({ namespace: 'ns', code: 'ServiceFailure', message: '', sender: false, requestId: 'r' }),
    /<Type>Receiver<\/Type>/,
  );
});

test('timestamps have second precision, as IAM prints them', () => {
  assert.equal(isoSeconds(new Date('2026-01-02T03:04:05.678Z')), '2026-01-02T03:04:05Z');
  assert.equal(escapeXml("it's"), 'it&apos;s');
});

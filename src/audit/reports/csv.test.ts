import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { type CsvColumn, csvField, csvLine, neutraliseFormula, toCsv } from './csv.ts';

test('plain text, numbers, booleans and null are written bare', () => {
  assert.equal(csvLine(['abc', 7, 2.5, true, false, null, '']), 'abc,7,2.5,true,false,,\r\n');
});

test('fields with a quote, comma, CR or LF are quoted; embedded quotes are doubled', () => {
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('line1\nline2'), '"line1\nline2"');
  assert.equal(csvField('x\ry'), '"x\ry"');
  assert.equal(csvField('no specials here'), 'no specials here');
  // A spreadsheet that splits on `;` or tab must not see a new cell start with a formula.
  assert.equal(csvField('a;=1+1'), '"a;=1+1"');
  assert.equal(csvField('a\t=1+1'), '"a\t=1+1"');
});

test('cells starting with = + - @ tab CR or NUL get a leading quote; others do not', () => {
  for (const bad of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx', '\0x'])
    assert.equal(neutraliseFormula(bad), `'${bad}`, JSON.stringify(bad));
  for (const fine of ['', 'a=1', ' =1', "'=1", '1-2', 'email:a@b.c'])
    assert.equal(neutraliseFormula(fine), fine, JSON.stringify(fine));
  // Neutralised first, then quoted: the quote lands inside the field.
  assert.equal(csvField('=HYPERLINK("http://x","y")'), '"\'=HYPERLINK(""http://x"",""y"")"');
  assert.equal(csvField('\rcmd'), '"\'\rcmd"');
  // Numbers are numbers, not text: never prefixed.
  assert.equal(csvField(-3), '-3');
});

test('non-finite numbers are a bug', () => {
  assert.throws(() => csvField(Number.NaN), /finite/);
  assert.throws(() => csvField(Number.POSITIVE_INFINITY), /finite/);
});

test('a document round-trips through a real CSV parser, header first, CRLF everywhere', () => {
  type Row = { id: string; note: string; n: number | null };
  const columns: CsvColumn<Row>[] = [
    { header: 'id', value: (r) => r.id },
    { header: 'note, free text', value: (r) => r.note },
    { header: 'n', value: (r) => r.n },
  ];
  const rows: Row[] = [
    { id: 'g1', note: 'plain', n: 1 },
    { id: 'g2', note: '=cmd|\'/c calc\'!A1, "quoted"\nsecond line', n: null },
    { id: 'g3', note: '', n: 0 },
  ];
  const text = toCsv(columns, rows);
  assert.ok(text.endsWith('\r\n'));
  assert.equal(text.replaceAll('\r\n', '').includes('\r'), false);
  assert.equal(text.split('\r\n')[0], 'id,"note, free text",n');
  const parsed = parse(text, { relax_column_count: false }) as string[][];
  assert.deepEqual(parsed, [
    ['id', 'note, free text', 'n'],
    ['g1', 'plain', '1'],
    ['g2', "'=cmd|'/c calc'!A1, \"quoted\"\nsecond line", ''],
    ['g3', '', '0'],
  ]);
});

test('an empty report is just the header row', () => {
  assert.equal(toCsv([{ header: 'a', value: () => null }], []), 'a\r\n');
});

import {
  type CollectionTag,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type ScalarTag,
  type YAMLMap,
  type YAMLSeq,
  type Node as YamlNode,
} from 'yaml';
import type { Result } from '../../lib/result.ts';
import { err, ok } from '../../lib/result.ts';
import { createLineIndex, type SourceDocument, type TextError, type TextPosition } from './source-text.ts';

/**
 * CloudFormation's short-form intrinsic function tags. `!Ref` and `!Condition` map to the keys `Ref` and
 * `Condition`; every other tag `!X` maps to `Fn::X` (AWS CloudFormation User Guide, "Intrinsic function reference").
 */
const INTRINSIC_TAGS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Length',
  'ToJsonString',
] as const;

function longFormKey(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** Resolves a scalar short form; `!GetAtt Res.Attr` is the dotted form of `Fn::GetAtt: [Res, Attr]`. */
function resolveScalar(name: string, text: string): Record<string, unknown> {
  if (name === 'GetAtt') {
    const dot = text.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)] };
  }
  return { [longFormKey(name)]: text };
}

function collectionJs(node: YAMLMap.Parsed | YAMLSeq.Parsed): unknown {
  return node.toJSON();
}

/** Custom tags for the `yaml` package: each intrinsic as scalar, sequence and mapping. */
export const CLOUDFORMATION_TAGS: readonly (ScalarTag | CollectionTag)[] = INTRINSIC_TAGS.flatMap((name) => {
  const tag = `!${name}`;
  const scalar: ScalarTag = {
    tag,
    identify: () => false,
    resolve: (text: string) => resolveScalar(name, text),
  };
  const seq: CollectionTag = {
    tag,
    collection: 'seq',
    identify: () => false,
    resolve: (node) => ({ [longFormKey(name)]: collectionJs(node) }),
  };
  const map: CollectionTag = {
    tag,
    collection: 'map',
    identify: () => false,
    resolve: (node) => ({ [longFormKey(name)]: collectionJs(node) }),
  };
  return [scalar, seq, map];
});

/**
 * Parses YAML (CloudFormation short-form tags understood) into plain JSON and records each node's position
 * keyed by JSON pointer. Returns the first syntax error with its line and column instead of throwing.
 */
export function parseYamlDocument(text: string): Result<SourceDocument, TextError> {
  const doc = parseDocument(text, { customTags: [...CLOUDFORMATION_TAGS], uniqueKeys: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const at = first.linePos?.[0];
    const message = (first.message.split('\n')[0] ?? first.message).replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    return err({ line: at?.line ?? 1, column: at?.col ?? 1, message: `invalid YAML: ${message}` });
  }
  const position = createLineIndex(text);
  const positions = new Map<string, TextPosition>();
  if (doc.contents !== null) walkYaml(doc.contents, '', positions, position);
  return ok({ value: doc.toJS({ maxAliasCount: 1000 }) as unknown, positions });
}

function walkYaml(
  node: YamlNode,
  pointer: string,
  positions: Map<string, TextPosition>,
  position: (offset: number) => TextPosition,
): void {
  if (node.range) positions.set(pointer, position(node.range[0]));
  if (isAlias(node) || isScalar(node)) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const child = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (pair.value !== null && typeof pair.value === 'object' && 'range' in pair.value) {
        walkYaml(pair.value as YamlNode, child, positions, position);
      } else if (isScalar(pair.key) && pair.key.range) {
        positions.set(child, position(pair.key.range[0]));
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item !== null && typeof item === 'object' && 'range' in item) {
        walkYaml(item as YamlNode, `${pointer}/${i}`, positions, position);
      }
    });
  }
}

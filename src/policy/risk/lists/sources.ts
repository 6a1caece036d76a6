/**
 * Attribution for the curated risk data. Lists of AWS action names are facts, but we keep the provenance of
 * every list so a reviewer can check each entry against its origin. Each data module names the sources it drew
 * from by these ids.
 */

/** Ids of the sources the curated lists cite. */
export const RISK_DATA_SOURCE_IDS = [
  'cloudsplaining',
  'rhino',
  'parliament',
  'policy-sentry',
  'iam-jit-scorer',
  'aws-docs',
] as const;
export type RiskDataSourceId = (typeof RISK_DATA_SOURCE_IDS)[number];

/** A source repository or document, with its licence. */
export interface RiskDataSource {
  id: RiskDataSourceId;
  /** Repository (owner/name@commit) or documentation URL. */
  origin: string;
  /** Files the lists were extracted from. */
  files: string;
  licence: string;
}

/** Where each curated list came from, with its licence. */
export const RISK_DATA_SOURCES: Readonly<Record<RiskDataSourceId, RiskDataSource>> = {
  cloudsplaining: {
    id: 'cloudsplaining',
    origin: 'salesforce/cloudsplaining@5012eab1f7429ef3702e8f8379ed0a207ba77804',
    files: 'cloudsplaining/shared/constants.py',
    licence: 'BSD-3-Clause',
  },
  rhino: {
    id: 'rhino',
    origin: 'RhinoSecurityLabs/Cloud-Security-Research@b7d14b7',
    files: 'AWS/aws_escalate/aws_escalate.py (user_escalation_methods)',
    licence: 'BSD-3-Clause',
  },
  parliament: {
    id: 'parliament',
    origin: 'duo-labs/parliament@574ea45079fadfc5f4559ee8934b818d9066761c',
    files: 'parliament/config.yaml, community_auditors/privilege_escalation.py',
    licence: 'BSD-3-Clause',
  },
  'policy-sentry': {
    id: 'policy-sentry',
    origin: 'salesforce/policy_sentry@66e53f23fe3f0aee8a625cdcefe71d49f933e9be',
    files: 'policy_sentry/shared/data/audit/*.txt, policy_sentry/shared/data/access-level-overrides.yml',
    licence: 'MIT',
  },
  'iam-jit-scorer': {
    id: 'iam-jit-scorer',
    origin: 'trsreagan3/iam-jit@298f58a',
    files: 'src/iam_jit/review.py (action and service sets)',
    licence: 'Apache-2.0',
  },
  'aws-docs': {
    id: 'aws-docs',
    origin: 'https://docs.aws.amazon.com/service-authorization/latest/reference/',
    files: 'Service Authorization Reference (actions, access levels, resource types)',
    licence: 'AWS documentation (facts)',
  },
};

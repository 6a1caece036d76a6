import type { PolicyReport } from '../report.ts';

/** A failing scored report: two factors, one finding (values shaped like the risk engine's output). */
export function sampleReports(): PolicyReport[] {
  return [
    {
      name: 'template.yaml#Resources/AppRole/Policies/0',
      file: 'infra/template.yaml',
      source: 'cloudformation',
      kind: 'identity',
      line: 20,
      column: 11,
      fingerprint: 'sha256:abc',
      review: {
        score: 8,
        band: 'high',
        summary: 'Can pass roles to new Lambda functions and run them.',
        suggestions: ['Scope iam:PassRole to the one role the function needs'],
        factors: [
          {
            id: 'iam-recon',
            title: 'IAM reconnaissance',
            points: 0,
            evidence: [{ statementIndex: 0, action: 'iam:GetRole', resource: '*' }],
          },
          {
            id: 'wildcard-resource',
            title: 'Write on all resources',
            points: 1,
            evidence: [{ statementIndex: 1, action: 'lambda:CreateFunction', resource: '*' }],
          },
          {
            id: 'privilege-escalation',
            title: 'Privilege escalation, PassRole + Lambda',
            points: 4,
            evidence: [
              { statementIndex: 1, action: 'lambda:CreateFunction', resource: '*' },
              { statementIndex: 0, action: 'iam:PassRole', resource: '*' },
            ],
          },
        ],
      },
      findings: [
        {
          code: 'RESOURCE_MISMATCH',
          severity: 'warning',
          message: 'Resource a|b fits none of the resource types',
          path: '/Statement/1/Resource',
          statementIndex: 1,
          line: 27,
          column: 17,
        },
      ],
      statementLines: [22, 25],
    },
    {
      name: 'policy.json',
      file: 'policy.json',
      source: 'policy',
      kind: 'identity',
      line: 1,
      column: 1,
      fingerprint: 'sha256:def',
      review: { score: 2, band: 'low', summary: 'Reads one bucket.', suggestions: [], factors: [] },
      findings: [],
      statementLines: [3],
    },
  ];
}

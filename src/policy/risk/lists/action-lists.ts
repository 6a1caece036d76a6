/**
 * Curated action families for the risk score. Each list is a plain set of canonical action ids (as the IAM
 * catalog spells them); `action-lists.test.ts` checks that every entry exists in the catalog. Source lists were
 * normalised: the cloudsplaining typo `gamelist:` is `gamelift:`, the source scorer's `sso-admin:` prefix is
 * IAM's `sso:`, `verifiedaccess:` actions are `ec2:`, `appstream2:` is `appstream:`, and API operation names
 * that differ from the IAM action (`s3:PutPublicAccessBlock`, `s3:PutBucketReplication`,
 * `directconnect:Accept…VirtualInterface`) are replaced by the IAM action. Entries that are no longer IAM actions
 * are kept, with the reason, in `RETIRED_ACTIONS` (retired.ts). Attribution: see sources.ts.
 */

import type { RiskDataSourceId } from './sources.ts';

/** Splits a whitespace-separated list literal (kept compact so each family reads as one block). */
function words(text: string): readonly string[] {
  return Object.freeze(text.split(/\s+/).filter((w) => w.length > 0));
}

/** Actions that return credentials, tokens or passwords (or mint them). Sources: cloudsplaining, policy-sentry, iam-jit-scorer. */
export const CREDENTIALS_EXPOSURE: readonly string[] = words(`
  airflow:CreateCliToken airflow:CreateWebLoginToken appsync:CreateApiKey chime:CreateApiKey
  cloud9:CreateEnvironmentToken codeartifact:GetAuthorizationToken codepipeline:PollForJobs
  cognito-identity:GetCredentialsForIdentity cognito-identity:GetOpenIdToken
  cognito-identity:GetOpenIdTokenForDeveloperIdentity cognito-idp:AdminInitiateAuth
  cognito-idp:AssociateSoftwareToken cognito-idp:GetSigningCertificate connect:GetFederationToken
  ds:ResetUserPassword dsql:DbConnect dsql:DbConnectAdmin ec2:GetPasswordData
  ecr-public:GetAuthorizationToken ecr:GetAuthorizationToken
  emr-containers:GetManagedEndpointSessionCredentials finspace-api:GetProgrammaticAccessCredentials
  gamelift:GetComputeAccess gamelift:GetComputeAuthToken gamelift:GetInstanceAccess
  gamelift:RequestUploadCredentials grafana:CreateWorkspaceApiKey iam:CreateAccessKey
  iam:CreateLoginProfile iam:CreateServiceSpecificCredential iam:ResetServiceSpecificCredential
  iam:UpdateAccessKey license-manager:GetAccessToken lightsail:CreateBucketAccessKey
  lightsail:DownloadDefaultKeyPair lightsail:GetInstanceAccessDetails
  lightsail:GetRelationalDatabaseMasterUserPassword mediapackage:RotateChannelCredentials
  mediapackage:RotateIngestEndpointCredentials rds-db:connect redshift-serverless:GetCredentials
  redshift:GetClusterCredentials redshift:GetClusterCredentialsWithIAM rolesanywhere:CreateProfile
  rolesanywhere:CreateTrustAnchor sts:AssumeRole sts:AssumeRoleWithSAML sts:AssumeRoleWithWebIdentity
  sts:GetFederationToken sts:GetSessionToken
`);

/** Reads of secret stores: their result is a secret value, or decrypts one. Sources: cloudsplaining, iam-jit-scorer, aws-docs. */
export const SECRET_READS: readonly string[] = words(`
  kms:Decrypt kms:ReEncryptFrom secretsmanager:BatchGetSecretValue secretsmanager:GetSecretValue
  ssm:GetParameter ssm:GetParameterHistory ssm:GetParameters ssm:GetParametersByPath
`);

/** Reads that return stored data (objects, items, records, log events, query results), which routinely carries secrets and personal data. Excludes ecs:DescribeTasks (metadata, granted by AWS ViewOnlyAccess). Includes the "deceptive writes": query APIs modelled as Write that return data. Sources: cloudsplaining, iam-jit-scorer, aws-docs. */
export const DATA_READS: readonly string[] = words(`
  athena:GetQueryResults athena:StartQueryExecution codecommit:GitPull dax:BatchGetItem dax:GetItem
  dax:Query dax:Scan dynamodb:BatchGetItem dynamodb:GetItem dynamodb:GetRecords dynamodb:PartiQLSelect
  dynamodb:Query dynamodb:Scan ebs:GetSnapshotBlock ec2:GetConsoleOutput ec2:GetConsoleScreenshot
  ec2:GetLaunchTemplateData ec2:GetPasswordData ecr:BatchGetImage ecr:GetDownloadUrlForLayer
  glacier:GetJobOutput kinesis:GetRecords kinesis:GetShardIterator lambda:GetFunction
  logs:FilterLogEvents logs:GetLogEvents logs:GetQueryResults logs:StartLiveTail logs:StartQuery
  neptune-db:ReadDataViaQuery qldb:SendCommand rds-data:BatchExecuteStatement rds-data:ExecuteSql
  rds-data:ExecuteStatement rds:DownloadCompleteDBLogFile rds:DownloadDBLogFilePortion
  redshift-data:BatchExecuteStatement redshift-data:ExecuteStatement s3:GetObject s3:GetObjectVersion
  sqs:ReceiveMessage ssm:GetCommandInvocation ssm:GetParameterHistory timestream:Select
`);

/** Actions that run caller-supplied code or commands, usually with a role the caller does not hold. Sources: iam-jit-scorer, cloudsplaining, aws-docs. */
export const CODE_EXECUTION: readonly string[] = words(`
  airflow:CreateEnvironment airflow:UpdateEnvironment amplify:CreateApp amplify:CreateDomainAssociation
  apprunner:CreateService apprunner:UpdateService batch:RegisterJobDefinition batch:SubmitJob
  bedrock-agentcore:CreateAgentRuntime bedrock-agentcore:CreateCodeInterpreter
  bedrock-agentcore:InvokeCodeInterpreter bedrock-agentcore:UpdateAgentRuntime bedrock:CreateAgent
  bedrock:CreateAgentActionGroup bedrock:UpdateAgent cloudformation:CreateChangeSet
  cloudformation:CreateStack cloudformation:CreateStackInstances cloudformation:CreateStackSet
  cloudformation:ExecuteChangeSet cloudformation:UpdateStack cloudformation:UpdateStackInstances
  cloudformation:UpdateStackSet codebuild:CreateProject codebuild:StartBuild codebuild:StartBuildBatch
  codedeploy:CreateApplication codedeploy:CreateDeployment codepipeline:CreatePipeline
  codepipeline:UpdatePipeline codestar:CreateProject datapipeline:CreatePipeline
  datapipeline:PutPipelineDefinition dms:CreateReplicationInstance dms:CreateReplicationTask
  ec2-instance-connect:SendSSHPublicKey ec2:RequestSpotInstances ec2:RunInstances ecs:CreateService
  ecs:ExecuteCommand ecs:RunTask ecs:StartTask elasticmapreduce:AddJobFlowSteps
  elasticmapreduce:RunJobFlow emr-serverless:CreateApplication emr-serverless:StartJobRun
  glue:CreateDevEndpoint glue:CreateJob glue:StartJobRun glue:UpdateDevEndpoint glue:UpdateJob
  imagebuilder:CreateComponent lambda:CreateFunction lambda:CreateFunctionUrlConfig
  lambda:PublishLayerVersion lambda:UpdateFunctionCode lambda:UpdateFunctionConfiguration
  pipes:CreatePipe pipes:UpdatePipe sagemaker:CreateDomain sagemaker:CreateNotebookInstance
  sagemaker:CreatePresignedDomainUrl sagemaker:CreatePresignedNotebookInstanceUrl
  sagemaker:CreateProcessingJob sagemaker:CreateTrainingJob sagemaker:CreateUserProfile
  servicecatalog:CreateProduct servicecatalog:ProvisionProduct ssm:CreateAssociation ssm:SendCommand
  ssm:StartSession ssm:UpdateAssociation states:CreateStateMachine states:UpdateStateMachine
  synthetics:CreateCanary synthetics:UpdateCanary
`);

/** Resource-policy writes and cross-account sharing: they can expose a resource to other accounts or the public. Sources: policy-sentry, iam-jit-scorer, aws-docs. */
export const RESOURCE_EXPOSURE: readonly string[] = words(`
  aoss:CreateAccessPolicy aoss:UpdateAccessPolicy apigateway:UpdateRestApiPolicy appflow:CreateFlow
  appflow:StartFlow appflow:UpdateFlow appstream:CreateImageBuilder appstream:UpdateImagePermissions
  backup:DeleteBackupVaultAccessPolicy backup:PutBackupVaultAccessPolicy backup:StartCopyJob
  cloudformation:SetStackPolicy cloudsearch:UpdateServiceAccessPolicies
  codeartifact:PutDomainPermissionsPolicy codeartifact:PutRepositoryPermissionsPolicy
  codestar:AssociateTeamMember codestar:CreateProject codestar:DeleteProject
  codestar:DisassociateTeamMember codestar:UpdateTeamMember
  directconnect:AllocatePrivateVirtualInterface directconnect:ConfirmPrivateVirtualInterface
  directconnect:ConfirmTransitVirtualInterface directconnect:CreateConnection
  directconnect:CreateInterconnect directconnect:CreatePrivateVirtualInterface
  directconnect:CreateTransitVirtualInterface ec2:AcceptTransitGatewayPeeringAttachment
  ec2:AcceptVpcPeeringConnection ec2:CreateNetworkInterfacePermission
  ec2:CreateTransitGatewayPeeringAttachment ec2:CreateVerifiedAccessEndpoint
  ec2:CreateVerifiedAccessGroup ec2:CreateVpcPeeringConnection ec2:DeleteNetworkInterfacePermission
  ec2:ModifyFpgaImageAttribute ec2:ModifyImageAttribute ec2:ModifySnapshotAttribute
  ec2:ModifyVerifiedAccessTrustProvider ec2:ModifyVpcEndpointServicePermissions
  ec2:ResetSnapshotAttribute ecr-public:CreateRepository ecr-public:PutImage ecr:PutImage
  ecr:SetRepositoryPolicy elasticmapreduce:PutBlockPublicAccessConfiguration
  es:CreateElasticsearchDomain es:UpdateElasticsearchDomainConfig events:CreateApiDestination
  events:PutPermission glacier:DeleteVaultAccessPolicy glacier:SetDataRetrievalPolicy
  glacier:SetVaultAccessPolicy glue:DeleteResourcePolicy glue:PutResourcePolicy
  greengrass:AssociateServiceRoleToAccount imagebuilder:PutComponentPolicy imagebuilder:PutImagePolicy
  imagebuilder:PutImageRecipePolicy iot:AttachPolicy iot:AttachPrincipalPolicy iot:DetachPolicy
  iot:DetachPrincipalPolicy iot:SetDefaultAuthorizer iot:SetDefaultPolicyVersion
  iotsitewise:CreateAccessPolicy iotsitewise:DeleteAccessPolicy iotsitewise:UpdateAccessPolicy
  kms:CreateGrant kms:CreateKey kms:PutKeyPolicy kms:RetireGrant kms:RevokeGrant
  lakeformation:BatchGrantPermissions lakeformation:BatchRevokePermissions
  lakeformation:GrantPermissions lakeformation:PutDataLakeSettings lakeformation:RevokePermissions
  lambda:AddLayerVersionPermission lambda:AddPermission lambda:CreateFunctionUrlConfig
  lambda:EnableReplication lambda:RemoveLayerVersionPermission lambda:RemovePermission
  logs:DeleteResourcePolicy logs:PutDestination logs:PutDestinationPolicy logs:PutResourcePolicy
  logs:PutSubscriptionFilter mediastore:DeleteContainerPolicy mediastore:PutContainerPolicy
  opsworks:SetPermission opsworks:UpdateUserProfile ram:AssociateResourceShare ram:CreateResourceShare
  ram:EnableSharingWithAwsOrganization ram:UpdateResourceShare rds:ModifyDBClusterSnapshotAttribute
  rds:ModifyDBSnapshotAttribute redshift:AuthorizeClusterSecurityGroupIngress
  redshift:AuthorizeSnapshotAccess redshift:CreateClusterUser redshift:CreateSnapshotCopyGrant
  redshift:JoinGroup redshift:ModifyClusterIamRoles redshift:RevokeClusterSecurityGroupIngress
  redshift:RevokeSnapshotAccess redshift:RotateEncryptionKey s3:BypassGovernanceRetention
  s3:DeleteAccessPointPolicy s3:DeleteBucketPolicy s3:ObjectOwnerOverrideToBucketOwner
  s3:PutAccessPointPolicy s3:PutAccountPublicAccessBlock s3:PutBucketAcl s3:PutBucketPolicy
  s3:PutBucketPublicAccessBlock s3:PutObjectAcl s3:PutObjectVersionAcl
  secretsmanager:DeleteResourcePolicy secretsmanager:PutResourcePolicy
  servicecatalog:CreatePortfolioShare servicecatalog:DeletePortfolioShare ses:DeleteIdentityPolicy
  ses:PutIdentityPolicy sns:AddPermission sns:CreateTopic sns:RemovePermission sns:SetTopicAttributes
  sqs:AddPermission sqs:CreateQueue sqs:RemovePermission sqs:SetQueueAttributes
  ssm:ModifyDocumentPermission vpc-lattice:DeleteAuthPolicy vpc-lattice:PutAuthPolicy
  waf-regional:DeletePermissionPolicy waf-regional:PutPermissionPolicy waf:DeletePermissionPolicy
  waf:PutPermissionPolicy worklink:UpdateDevicePolicyConfiguration xray:PutEncryptionConfig
`);

/** Actions that stop, delete or blind audit logging and threat detection (CloudTrail, GuardDuty, Config, Access Analyzer, Security Hub, Macie, Inspector, Detective, flow logs, WAF). Log-group deletion, retention changes and alarm deletion count as destructive changes, not evasion: routine service roles (Lambda logging, autoscaling alarms) need them. Sources: iam-jit-scorer, aws-docs. */
export const DEFENSE_EVASION: readonly string[] = words(`
  access-analyzer:CreateArchiveRule access-analyzer:DeleteAnalyzer access-analyzer:UpdateAnalyzer
  access-analyzer:UpdateArchiveRule cloudtrail:DeleteEventDataStore cloudtrail:DeleteResourcePolicy
  cloudtrail:DeleteTrail cloudtrail:PutEventSelectors cloudtrail:PutResourcePolicy
  cloudtrail:StopEventDataStoreIngestion cloudtrail:StopLogging cloudtrail:UpdateEventDataStore
  cloudtrail:UpdateTrail config:DeleteConfigRule
  config:DeleteConfigurationRecorder config:DeleteDeliveryChannel config:PutConfigurationRecorder
  config:PutDeliveryChannel config:StopConfigurationRecorder detective:DeleteGraph
  detective:DisassociateMembership ec2:DeleteFlowLogs guardduty:CreateFilter guardduty:CreateIPSet
  guardduty:DeleteDetector guardduty:DeleteMembers guardduty:DeletePublishingDestination
  guardduty:DisassociateFromAdministratorAccount guardduty:DisassociateFromMasterAccount
  guardduty:DisassociateMembers guardduty:StopMonitoringMembers guardduty:UpdateDetector
  guardduty:UpdateFilter guardduty:UpdateIPSet inspector2:Disable inspector2:DisassociateMember
 
  macie2:DisableMacie macie2:DisableOrganizationAdminAccount
  organizations:LeaveOrganization route53:DeleteQueryLoggingConfig
  securityhub:DisableImportFindingsForProduct securityhub:DisableSecurityHub wafv2:DisassociateWebACL
`);

/** Account- and organisation-level or irreversible changes: closing or detaching accounts, changing SCPs, scheduling key deletion, deleting backups. Sources: iam-jit-scorer, aws-docs. */
export const CATASTROPHIC: readonly string[] = words(`
  account:CloseAccount account:PutAlternateContact account:PutContactInformation
  acm-pca:IssueCertificate backup:DeleteBackupVault backup:DeleteRecoveryPoint glacier:DeleteVault
  kms:ScheduleKeyDeletion organizations:AcceptHandshake organizations:AttachPolicy
  organizations:CloseAccount organizations:CreateAccount organizations:DeleteOrganization
  organizations:DetachPolicy organizations:InviteAccountToOrganization organizations:LeaveOrganization
  organizations:MoveAccount organizations:RegisterDelegatedAdministrator
  organizations:RemoveAccountFromOrganization
`);

/** High-impact mutations: network and routing changes, security groups, DNS, deployment pipelines, key and secret changes, identity-pool and user-pool administration. Also the members of the source scorer's "catastrophic" set that no other family here covers. Sources: iam-jit-scorer. */
export const HIGH_IMPACT: readonly string[] = words(`
  apigateway:PATCH appsync:CreateApiKey appsync:UpdateApiKey b2bi:CreatePartnership b2bi:CreateProfile
  bedrock:CreateInferenceProfile bedrock:CreateKnowledgeBase bedrock:PutUseCaseForModelAccess
  bedrock:StartIngestionJob cloudformation:ActivateType cloudformation:CreateChangeSet
  cloudformation:CreateStack cloudformation:ExecuteChangeSet cloudformation:RegisterType
  cloudformation:SetTypeDefaultVersion cloudformation:UpdateStack cloudfront:DeleteDistribution
  cloudfront:UpdateDistribution cloudtrail:PutInsightSelectors codeartifact:PublishPackageVersion
  codebuild:StartBuild codepipeline:StartPipelineExecution cognito-identity:SetIdentityPoolRoles
  cognito-identity:UpdateIdentityPool cognito-idp:AdminAddUserToGroup cognito-idp:AdminConfirmSignUp
  cognito-idp:AdminCreateUser cognito-idp:AdminSetUserPassword cognito-idp:AdminUpdateUserAttributes
  cognito-idp:CreateIdentityProvider cognito-idp:CreateUserPool datazone:CreateDomain
  datazone:UpdateDomain ebs:ListChangedBlocks ebs:ListSnapshotBlocks
  ec2-instance-connect:SendSSHPublicKey ec2:AssociateIamInstanceProfile ec2:AttachNetworkInterface
  ec2:AuthorizeSecurityGroupEgress ec2:AuthorizeSecurityGroupIngress ec2:CreateClientVpnEndpoint
  ec2:CreateImage ec2:CreateNetworkInterface ec2:CreateRoute ec2:CreateVerifiedAccessEndpoint
  ec2:CreateVpnConnection ec2:DeleteRoute ec2:ModifyInstanceAttribute ec2:ModifySecurityGroupRules
  ec2:ModifyVerifiedAccessEndpoint ec2:ModifyVpcEndpoint ec2:ReplaceIamInstanceProfileAssociation
  ec2:ReplaceRoute ec2:RevokeSecurityGroupEgress ec2:RevokeSecurityGroupIngress ecr:BatchDeleteImage
  ecr:PutImage ecs:ExecuteCommand ecs:RegisterTaskDefinition ecs:UpdateService eks:AccessKubernetesApi
  eks:AssociateAccessPolicy eks:CreateAccessEntry eks:UpdateAccessEntry eks:UpdateClusterConfig
  elasticloadbalancing:DeleteListener elasticloadbalancing:ModifyListener
  elasticloadbalancing:ModifyTargetGroupAttributes iam:AttachRolePolicy iam:DeleteRolePolicy
  iam:DetachRolePolicy iam:PutRolePolicy iam:UpdateAssumeRolePolicy identitystore:CreateGroup
  identitystore:CreateGroupMembership identitystore:CreateUser imagebuilder:CreateImagePipeline
  imagebuilder:CreateImageRecipe imagebuilder:UpdateImagePipeline kms:DisableKey kms:PutKeyPolicy
  kms:ScheduleKeyDeletion lakeformation:GetDataAccess lambda:AddPermission lambda:DeleteFunction
  lambda:RemovePermission lambda:UpdateFunctionCode memorydb:CreateUser memorydb:UpdateUser
  qbusiness:CreateApplication qbusiness:CreateDataSource qbusiness:UpdateDataSource
  ram:AssociateResourceShare ram:CreateResourceShare ram:UpdateResourceShare rds:CreateDBClusterEndpoint
  rds:ModifyDBCluster rds:ModifyDBClusterEndpoint rds:ModifyDBInstance rds:RestoreDBClusterFromSnapshot
  rds:RestoreDBInstanceFromDBSnapshot rds:RestoreDBInstanceToPointInTime redshift:GetClusterCredentials
  route53:ChangeResourceRecordSets route53:CreateHostedZone route53:DeleteHostedZone
  s3-object-lambda:WriteGetObjectResponse s3:DeleteBucketPolicy s3:PutBucketAcl s3:PutBucketPolicy
  s3:PutBucketPublicAccessBlock s3:PutLifecycleConfiguration s3:PutObjectAcl
  s3:PutReplicationConfiguration secretsmanager:PutSecretValue secretsmanager:RotateSecret
  secretsmanager:UpdateSecret ssm:CreateDocument ssm:PutParameter ssm:SendCommand ssm:StartSession
  ssm:UpdateDocument ssm:UpdateDocumentDefaultVersion sso:AttachManagedPolicyToPermissionSet
  sso:CreateAccountAssignment sso:CreatePermissionSet sso:PutInlinePolicyToPermissionSet
  transfer:CreateServer transfer:CreateUser transfer:ImportSshPublicKey transfer:UpdateUser
  wafv2:DeleteWebACL
`);

/** IAM reconnaissance: listing and reading roles, users and policies to plan an escalation. Sources: iam-jit-scorer. */
export const IAM_RECON: readonly string[] = words(`
  iam:GetAccountAuthorizationDetails iam:GetRole iam:GetRolePolicy iam:GetUser iam:ListAccessKeys
  iam:ListAttachedRolePolicies iam:ListGroups iam:ListPolicies iam:ListRoles iam:ListUsers
`);

/**
 * Services whose write access is sensitive in itself (identity, keys, secrets, org structure).
 * Source: iam-jit-scorer `SENSITIVE_SERVICES` (with its alias `sso-admin` written as IAM's `sso`), plus
 * `sso-directory` and `account` (aws-docs: both administer identities or the account itself).
 */
export const SENSITIVE_SERVICES: readonly string[] = words(`
  acm-pca bedrock cognito-identity cognito-idp ebs glue iam identitystore imagebuilder kms organizations
  sagemaker secretsmanager ses ssm sso sts sso-directory account
`);

/**
 * Verbs that make a Write action destructive or disruptive when they start its name (`DeleteBucket`,
 * `TerminateInstances`, `StopLogging`). Source: iam-jit-scorer `DESTRUCTIVE_VERB_PREFIXES`.
 */
export const DESTRUCTIVE_VERBS: readonly string[] = words(`
  delete destroy reset terminate disable stop revoke cancel drop remove forget clear empty wipe purge abort
  kill suspend detach disassociate
`);

/** Machine-readable attribution of each list (ids from sources.ts), for reports and the about page. */
export const ACTION_LIST_SOURCES: Readonly<Record<string, readonly RiskDataSourceId[]>> = {
  CREDENTIALS_EXPOSURE: ['cloudsplaining', 'policy-sentry', 'iam-jit-scorer'],
  SECRET_READS: ['cloudsplaining', 'iam-jit-scorer', 'aws-docs'],
  DATA_READS: ['cloudsplaining', 'iam-jit-scorer', 'aws-docs'],
  CODE_EXECUTION: ['iam-jit-scorer', 'cloudsplaining', 'aws-docs'],
  RESOURCE_EXPOSURE: ['policy-sentry', 'iam-jit-scorer', 'aws-docs'],
  DEFENSE_EVASION: ['iam-jit-scorer', 'aws-docs'],
  CATASTROPHIC: ['iam-jit-scorer', 'aws-docs'],
  HIGH_IMPACT: ['iam-jit-scorer'],
  IAM_RECON: ['iam-jit-scorer'],
  SENSITIVE_SERVICES: ['iam-jit-scorer', 'aws-docs'],
  DESTRUCTIVE_VERBS: ['iam-jit-scorer'],
};

/**
 * Access-level corrections after policy_sentry's `access-level-overrides.yml` (MIT): actions that AWS documents
 * as Write (or Read) but that change who can do what, so we count them as Permissions management — notably
 * `iam:PassRole`, access keys, login profiles, RAM shares and Identity Center administration. Upgrades towards
 * Permissions management are taken as listed; the only downgrades are the documentation errors in
 * READ_LEVEL_CORRECTIONS (metadata reads documented as writes).
 * (The catalog already maps the IAM data's combined levels, "Tagging, Write" and "Permissions management,
 * Write", to the single documented level.)
 */

function words(text: string): readonly string[] {
  return Object.freeze(text.split(/\s+/).filter((w) => w.length > 0));
}

/** Service-specific corrections from policy_sentry (backup, codebuild, ds, ec2, glue, logs, sns, sqs, ssm, …). */
const SERVICE_OVERRIDES = words(`
  backup:DeleteBackupVaultAccessPolicy backup:PutBackupVaultAccessPolicy
  chime:DeleteVoiceConnectorTerminationCredentials chime:PutVoiceConnectorTerminationCredentials
  codebuild:DeleteResourcePolicy codebuild:DeleteSourceCredentials codebuild:ImportSourceCredentials
  codebuild:PutResourcePolicy cognito-identity:SetIdentityPoolRoles connect:GetFederationToken
  ds:CreateConditionalForwarder ds:CreateDirectory ds:CreateIdentityPoolDirectory ds:CreateMicrosoftAD
  ds:CreateTrust ds:ShareDirectory ec2:CreateNetworkInterfacePermission
  ec2:DeleteNetworkInterfacePermission ec2:ModifyVpcEndpointServicePermissions
  ec2:ResetSnapshotAttribute es:CreateElasticsearchDomain es:UpdateElasticsearchDomainConfig
  gamelift:RequestUploadCredentials glue:DeleteResourcePolicy glue:PutResourcePolicy kms:CreateKey
  lightsail:GetInstanceAccessDetails lightsail:GetRelationalDatabaseMasterUserPassword
  logs:DeleteResourcePolicy logs:PutResourcePolicy mediapackage:RotateIngestEndpointCredentials
  ram:AcceptResourceShareInvitation ram:AssociateResourceShare ram:CreateResourceShare
  ram:DeleteResourceShare ram:DisassociateResourceShare ram:EnableSharingWithAwsOrganization
  ram:RejectResourceShareInvitation ram:UpdateResourceShare redshift:GetClusterCredentials
  sns:CreateTopic sns:SetTopicAttributes sqs:AddPermission sqs:CreateQueue sqs:SetQueueAttributes
  ssm:ModifyDocumentPermission storagegateway:DeleteChapCredentials
  storagegateway:SetLocalConsolePassword storagegateway:SetSMBGuestPassword
  storagegateway:UpdateChapCredentials waf-regional:GetChangeToken waf:GetChangeToken
  worklink:UpdateDevicePolicyConfiguration workmail:ResetPassword
`);

/** IAM: policy_sentry treats every identity-changing IAM action as Permissions management. */
const IAM_OVERRIDES = words(`
  iam:AddClientIDToOpenIDConnectProvider iam:AddRoleToInstanceProfile iam:AddUserToGroup
  iam:ChangePassword iam:CreateAccessKey iam:CreateAccountAlias iam:CreateGroup
  iam:CreateInstanceProfile iam:CreateLoginProfile iam:CreateOpenIDConnectProvider iam:CreateRole
  iam:CreateSAMLProvider iam:CreateServiceLinkedRole iam:CreateServiceSpecificCredential iam:CreateUser
  iam:CreateVirtualMFADevice iam:DeactivateMFADevice iam:DeleteAccessKey iam:DeleteAccountAlias
  iam:DeleteGroup iam:DeleteInstanceProfile iam:DeleteLoginProfile iam:DeleteOpenIDConnectProvider
  iam:DeleteRole iam:DeleteSAMLProvider iam:DeleteServerCertificate iam:DeleteServiceLinkedRole
  iam:DeleteServiceSpecificCredential iam:DeleteSigningCertificate iam:DeleteSSHPublicKey iam:DeleteUser
  iam:DeleteVirtualMFADevice iam:EnableMFADevice iam:PassRole
  iam:RemoveClientIDFromOpenIDConnectProvider iam:RemoveRoleFromInstanceProfile iam:RemoveUserFromGroup
  iam:ResetServiceSpecificCredential iam:ResyncMFADevice iam:SetSecurityTokenServicePreferences
  iam:UpdateAccessKey iam:UpdateAccountPasswordPolicy iam:UpdateGroup iam:UpdateLoginProfile
  iam:UpdateOpenIDConnectProviderThumbprint iam:UpdateRole iam:UpdateRoleDescription
  iam:UpdateSAMLProvider iam:UpdateServerCertificate iam:UpdateServiceSpecificCredential
  iam:UpdateSigningCertificate iam:UpdateSSHPublicKey iam:UpdateUser iam:UploadServerCertificate
  iam:UploadSigningCertificate iam:UploadSSHPublicKey
`);

/** IAM Identity Center (`sso`, `sso-directory`): administration of users, groups and permission sets. */
const IDENTITY_CENTER_OVERRIDES = words(`
  sso-directory:AddMemberToGroup sso-directory:CreateAlias sso-directory:CreateGroup
  sso-directory:CreateUser sso-directory:DeleteGroup sso-directory:DeleteUser sso-directory:DisableUser
  sso-directory:EnableUser sso-directory:RemoveMemberFromGroup sso-directory:UpdateGroup
  sso-directory:UpdatePassword sso-directory:UpdateUser sso-directory:VerifyEmail sso:AssociateDirectory
  sso:AssociateProfile sso:CreateApplicationInstance sso:CreateApplicationInstanceCertificate
  sso:CreatePermissionSet sso:CreateProfile sso:CreateTrust sso:DeleteApplicationInstance
  sso:DeleteApplicationInstanceCertificate sso:DeletePermissionSet sso:DeleteProfile
  sso:DisassociateDirectory sso:DisassociateProfile sso:ImportApplicationInstanceServiceProviderMetadata
  sso:PutPermissionsPolicy sso:StartSSO sso:UpdateApplicationInstanceActiveCertificate
  sso:UpdateApplicationInstanceDisplayData sso:UpdateApplicationInstanceResponseConfiguration
  sso:UpdateApplicationInstanceResponseSchemaConfiguration
  sso:UpdateApplicationInstanceSecurityConfiguration
  sso:UpdateApplicationInstanceServiceProviderConfiguration sso:UpdateApplicationInstanceStatus
  sso:UpdatePermissionSet sso:UpdateProfile sso:UpdateSSOConfiguration sso:UpdateTrust
`);

/** Canonical action ids (catalog casing) counted as Permissions management whatever AWS documents. */
export const PERMISSIONS_MANAGEMENT_OVERRIDES: readonly string[] = Object.freeze([
  ...SERVICE_OVERRIDES,
  ...IAM_OVERRIDES,
  ...IDENTITY_CENTER_OVERRIDES,
]);

/**
 * Actions the IAM definitions list at a write level although their name and description only list, get or
 * describe metadata (documentation errors of the kind policy_sentry's overrides also fix, e.g.
 * `imagebuilder:GetImagePolicy` → Read). They count as List (`List…`) or Read. Credential- or data-returning
 * `Get…` actions documented as Write (`sts:GetFederationToken`, `redshift:GetClusterCredentials`,
 * `backup-storage:GetChunk`, …) are deliberately not in this list.
 */
export const READ_LEVEL_CORRECTIONS: readonly string[] = words(`
  aidevops:DescribeSupportLevel arc-region-switch:GetResourcePolicy backup:ListIndexedRecoveryPointsForSearch
  bcm-pricing-calculator:ListTagsForResource billing:GetResourcePolicy fsx:GetResourcePolicy
  glue:DescribeConnectionType glue:DescribeEntity glue:ListConnectionTypes glue:ListEntities
  honeycode:ListTagsForResource imagebuilder:GetImagePolicy imagebuilder:GetImageRecipePolicy iot:ListSubscriptions
  iotsitewise:DescribeAccessPolicy monitron:ListProjectAdminUsers quicksight:DescribeKnowledgeBasePermissions
  quicksight:DescribeSpacePermissions quicksight:DescribeTopicPermissions route53globalresolver:ListTagsForResource
  ssm-sap:GetResourcePermission xray:GetEncryptionConfig
`);

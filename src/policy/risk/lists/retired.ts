/**
 * Action names that appear in the source lists but are not (or no longer) IAM actions in the Service
 * Authorization Reference. They are kept here, with the reason, so the curation is auditable; the test
 * `action-lists.test.ts` requires every curated entry to be either a catalog action or listed here.
 * Keys are lower-case action ids.
 */
export const RETIRED_ACTIONS: Readonly<Record<string, string>> = {
  'apigateway:updateapikey':
    'API operation name; IAM authorises API Gateway management by HTTP verb (apigateway:PATCH).',
  'codestar:createprojectfromtemplate': 'AWS CodeStar was discontinued; the action left the reference.',
  'connect:updatecontactflow': 'Not in the reference; the IAM action is connect:UpdateContactFlowContent.',
  'connect:getfederationtokens': 'No longer in the reference (connect:GetFederationToken remains).',
  'deeplens:associateserviceroletoaccount':
    'AWS DeepLens reached end of life; the service left the reference.',
  'dynamodb:executestatement':
    'API operation name; PartiQL is authorised by dynamodb:PartiQLSelect/Insert/Update/Delete.',
  'iot:assumerolewithcertificate':
    'The IoT credentials provider endpoint is authorised by certificate, not by an IAM action.',
  's3:deletepublicaccessblock':
    'API operation name; IAM authorises it as s3:PutBucketPublicAccessBlock / s3:PutAccountPublicAccessBlock.',
  'sso:getrolecredentials':
    'IAM Identity Center portal API, authorised by the user access token, not by IAM.',
  'sso:addmembertogroup': 'Legacy AWS SSO directory action, replaced by identitystore/sso-directory actions.',
  'sso:createalias': 'Legacy AWS SSO directory action, no longer in the reference.',
  'sso:creategroup': 'Legacy AWS SSO directory action, replaced by identitystore:CreateGroup.',
  'sso:createuser': 'Legacy AWS SSO directory action, replaced by identitystore:CreateUser.',
  'sso:deletegroup': 'Legacy AWS SSO directory action, replaced by identitystore:DeleteGroup.',
  'sso:deletepermissionspolicy': 'Legacy AWS SSO action, no longer in the reference.',
  'sso:deleteuser': 'Legacy AWS SSO directory action, replaced by identitystore:DeleteUser.',
  'sso:disableuser': 'Legacy AWS SSO directory action, no longer in the reference.',
  'sso:enableuser': 'Legacy AWS SSO directory action, no longer in the reference.',
  'sso:removememberfromgroup': 'Legacy AWS SSO directory action, replaced by identitystore actions.',
  'sso:settemporarypassword': 'Legacy AWS SSO directory action, no longer in the reference.',
  'sso:updatedirectoryassociation': 'Legacy AWS SSO action, no longer in the reference.',
  'sso:updategroup': 'Legacy AWS SSO directory action, replaced by identitystore:UpdateGroup.',
  'sso:updateuser': 'Legacy AWS SSO directory action, replaced by identitystore:UpdateUser.',
  'workmail:resetuserpassword': 'Not in the reference; the IAM action is workmail:ResetPassword.',
};

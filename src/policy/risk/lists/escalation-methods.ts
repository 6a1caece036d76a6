/**
 * Published IAM privilege-escalation methods: each method is a set of actions that together let a principal
 * gain more privilege than it was granted (the union over all the policy's Allow statements is checked, so a
 * method fires even when its actions are spread over several statements).
 *
 * Sources: cloudsplaining `PRIVILEGE_ESCALATION_METHODS` (the original 22 from Rhino Security Labs plus the
 * pathfinding.cloud additions; BSD-3-Clause) and Rhino Security Labs' aws_escalate.py (BSD-3-Clause). Where both
 * list a method under the same name with different action sets we keep cloudsplaining's, which is the smaller set
 * (so the method fires at least as often). Rhino-only methods are appended; methods whose actions AWS has
 * retired stay listed (see RETIRED_ACTIONS) but can no longer fire.
 */
import type { RiskDataSourceId } from './sources.ts';

/** One published escalation method. */
export interface EscalationMethod {
  name: string;
  /** Canonical action ids; all must be allowed for the method to apply. */
  actions: readonly string[];
  sources: readonly RiskDataSourceId[];
  /** Write-up of the method (pathfinding.cloud), when the source links one. */
  url?: string;
}

/** All curated methods (63), in source order. */
export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  {
    name: 'CreateAccessKey',
    actions: ['iam:CreateAccessKey'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-002',
  },
  {
    name: 'CreateLoginProfile',
    actions: ['iam:CreateLoginProfile'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-004',
  },
  {
    name: 'UpdateLoginProfile',
    actions: ['iam:UpdateLoginProfile'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-006',
  },
  {
    name: 'AddUserToGroup',
    actions: ['iam:AddUserToGroup'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-013',
  },
  {
    name: 'CreateNewPolicyVersion',
    actions: ['iam:CreatePolicyVersion'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-001',
  },
  {
    name: 'SetExistingDefaultPolicyVersion',
    actions: ['iam:SetDefaultPolicyVersion'],
    sources: ['cloudsplaining', 'rhino'],
  },
  {
    name: 'AttachUserPolicy',
    actions: ['iam:AttachUserPolicy'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-008',
  },
  {
    name: 'AttachGroupPolicy',
    actions: ['iam:AttachGroupPolicy'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-010',
  },
  {
    name: 'AttachRolePolicy',
    actions: ['iam:AttachRolePolicy'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-009',
  },
  {
    name: 'PutUserPolicy',
    actions: ['iam:PutUserPolicy'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-007',
  },
  {
    name: 'PutGroupPolicy',
    actions: ['iam:PutGroupPolicy'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-011',
  },
  {
    name: 'PutRolePolicy',
    actions: ['iam:PutRolePolicy'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-005',
  },
  {
    name: 'UpdateRolePolicyToAssumeIt',
    actions: ['iam:UpdateAssumeRolePolicy'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/iam-012',
  },
  {
    name: 'CreateEC2WithExistingIP',
    actions: ['iam:PassRole', 'ec2:RunInstances'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/ec2-001',
  },
  {
    name: 'PassExistingRoleToNewLambdaThenInvoke',
    actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/lambda-001',
  },
  {
    name: 'PassExistingRoleToNewLambdaThenTriggerWithNewDynamo',
    actions: [
      'iam:PassRole',
      'lambda:CreateFunction',
      'lambda:CreateEventSourceMapping',
      'dynamodb:CreateTable',
      'dynamodb:PutItem',
    ],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/lambda-002',
  },
  {
    name: 'PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo',
    actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/lambda-002',
  },
  {
    name: 'PassExistingRoleToNewGlueDevEndpoint',
    actions: ['iam:PassRole', 'glue:CreateDevEndpoint'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/glue-001',
  },
  {
    name: 'PassExistingRoleToCloudFormation',
    actions: ['iam:PassRole', 'cloudformation:CreateStack'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/cloudformation-001',
  },
  {
    name: 'PassExistingRoleToNewDataPipeline',
    actions: ['iam:PassRole', 'datapipeline:CreatePipeline'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/datapipeline-001',
  },
  {
    name: 'UpdateExistingGlueDevEndpoint',
    actions: ['glue:UpdateDevEndpoint'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/glue-002',
  },
  {
    name: 'EditExistingLambdaFunctionWithRole',
    actions: ['lambda:UpdateFunctionCode'],
    sources: ['cloudsplaining', 'rhino'],
    url: 'https://pathfinding.cloud/paths/lambda-003',
  },
  {
    name: 'AccessExistingBedrockCodeInterpreterSession',
    actions: ['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/bedrock-002',
  },
  {
    name: 'ExecuteCloudFormationChangeSet',
    actions: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/cloudformation-005',
  },
  {
    name: 'ModifyEC2InstanceUserDataThenRestart',
    actions: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ec2-002',
  },
  {
    name: 'ModifyExistingEC2LaunchTemplate',
    actions: ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ec2-004',
  },
  {
    name: 'EC2InstanceConnectSendSSHPublicKey',
    actions: ['ec2-instance-connect:SendSSHPublicKey', 'ec2:DescribeInstances'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ec2instanceconnect-003',
  },
  {
    name: 'ECSExecuteCommandOnRunningTask',
    actions: ['ecs:ExecuteCommand', 'ecs:DescribeTasks'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ecs-006',
  },
  {
    name: 'UpdateAndInvokeLambdaFunction',
    actions: ['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/lambda-004',
  },
  {
    name: 'UpdateLambdaFunctionAndAddPermission',
    actions: ['lambda:UpdateFunctionCode', 'lambda:AddPermission'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/lambda-005',
  },
  {
    name: 'CreatePresignedSageMakerNotebookUrl',
    actions: ['sagemaker:CreatePresignedNotebookInstanceUrl'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/sagemaker-004',
  },
  {
    name: 'UpdateSageMakerNotebookLifecycleConfig',
    actions: [
      'sagemaker:CreateNotebookInstanceLifecycleConfig',
      'sagemaker:StopNotebookInstance',
      'sagemaker:UpdateNotebookInstance',
      'sagemaker:StartNotebookInstance',
    ],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/sagemaker-005',
  },
  {
    name: 'PassExistingRoleToNewAppRunnerService',
    actions: ['iam:PassRole', 'apprunner:CreateService'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/apprunner-001',
  },
  {
    name: 'PassExistingRoleToNewBedrockCodeInterpreter',
    actions: [
      'iam:PassRole',
      'bedrock-agentcore:CreateCodeInterpreter',
      'bedrock-agentcore:StartCodeInterpreterSession',
      'bedrock-agentcore:InvokeCodeInterpreter',
    ],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/bedrock-001',
  },
  {
    name: 'PassExistingRoleToNewCloudFormationStackSet',
    actions: ['iam:PassRole', 'cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/cloudformation-003',
  },
  {
    name: 'PassRoleToUpdateCloudFormationStackSet',
    actions: ['iam:PassRole', 'cloudformation:UpdateStackSet'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/cloudformation-004',
  },
  {
    name: 'PassExistingRoleToNewCodeBuildProjectThenBuild',
    actions: ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/codebuild-001',
  },
  {
    name: 'PassExistingRoleToNewCodeBuildProjectThenBuildBatch',
    actions: ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuildBatch'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/codebuild-004',
  },
  {
    name: 'PassExistingRoleToNewEC2SpotInstance',
    actions: ['iam:PassRole', 'ec2:RequestSpotInstances'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ec2-003',
  },
  {
    name: 'PassExistingRoleToNewECSClusterServiceTask',
    actions: ['iam:PassRole', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ecs-001',
  },
  {
    name: 'PassExistingRoleToNewECSClusterRunTask',
    actions: ['iam:PassRole', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ecs-002',
  },
  {
    name: 'PassExistingRoleToNewECSService',
    actions: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ecs-003',
  },
  {
    name: 'PassExistingRoleToNewECSTaskViaRunTask',
    actions: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ecs-004',
  },
  {
    name: 'PassExistingRoleToNewECSTaskViaStartTask',
    actions: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:StartTask'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/ecs-005',
  },
  {
    name: 'PassExistingRoleToNewGlueJobThenRun',
    actions: ['iam:PassRole', 'glue:CreateJob', 'glue:StartJobRun'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/glue-003',
  },
  {
    name: 'PassExistingRoleToNewGlueJobViaTrigger',
    actions: ['iam:PassRole', 'glue:CreateJob', 'glue:CreateTrigger'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/glue-004',
  },
  {
    name: 'PassExistingRoleToUpdatedGlueJobThenRun',
    actions: ['iam:PassRole', 'glue:UpdateJob', 'glue:StartJobRun'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/glue-005',
  },
  {
    name: 'PassExistingRoleToUpdatedGlueJobViaTrigger',
    actions: ['iam:PassRole', 'glue:UpdateJob', 'glue:CreateTrigger'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/glue-006',
  },
  {
    name: 'PassExistingRoleToNewLambdaThenAddPermission',
    actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:AddPermission'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/lambda-006',
  },
  {
    name: 'PassExistingRoleToNewSageMakerNotebookInstance',
    actions: ['iam:PassRole', 'sagemaker:CreateNotebookInstance'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/sagemaker-001',
  },
  {
    name: 'PassExistingRoleToNewSageMakerTrainingJob',
    actions: ['iam:PassRole', 'sagemaker:CreateTrainingJob'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/sagemaker-002',
  },
  {
    name: 'PassExistingRoleToNewSageMakerProcessingJob',
    actions: ['iam:PassRole', 'sagemaker:CreateProcessingJob'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/sagemaker-003',
  },
  {
    name: 'CreateAndRotateAccessKey',
    actions: ['iam:CreateAccessKey', 'iam:DeleteAccessKey'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/iam-003',
  },
  {
    name: 'AttachUserPolicyThenCreateAccessKey',
    actions: ['iam:AttachUserPolicy', 'iam:CreateAccessKey'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/iam-015',
  },
  {
    name: 'CreatePolicyVersionThenAssumeRole',
    actions: ['iam:CreatePolicyVersion', 'sts:AssumeRole'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/iam-016',
  },
  {
    name: 'PutUserPolicyThenCreateAccessKey',
    actions: ['iam:PutUserPolicy', 'iam:CreateAccessKey'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/iam-018',
  },
  {
    name: 'AttachRolePolicyThenUpdateAssumeRolePolicy',
    actions: ['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/iam-019',
  },
  {
    name: 'CreatePolicyVersionThenUpdateAssumeRolePolicy',
    actions: ['iam:CreatePolicyVersion', 'iam:UpdateAssumeRolePolicy'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/iam-020',
  },
  {
    name: 'PutRolePolicyThenUpdateAssumeRolePolicy',
    actions: ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'],
    sources: ['cloudsplaining'],
    url: 'https://pathfinding.cloud/paths/iam-021',
  },
  {
    name: 'AddExistingLambdaLayerToLambdaFunctionWithRole',
    actions: ['lambda:UpdateFunctionConfiguration'],
    sources: ['rhino'],
  },
  {
    name: 'PassExistingRoleToNewCodeStarProject',
    actions: ['codestar:CreateProject', 'iam:PassRole'],
    sources: ['rhino'],
  },
  {
    name: 'CodeStarCreateProjectFromTemplate',
    actions: ['codestar:CreateProjectFromTemplate'],
    sources: ['rhino'],
  },
  {
    name: 'CodeStarCreateProjectThenAssociateTeamMember',
    actions: ['codestar:AssociateTeamMember', 'codestar:CreateProject'],
    sources: ['rhino'],
  },
];

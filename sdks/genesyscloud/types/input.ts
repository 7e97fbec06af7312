// *** Written by hand in the shape that `pulumi package add terraform-provider mypurecloud/genesyscloud 1.84.0` ***
// *** generates; regenerating the SDK replaces this file. See README.md.                                       ***

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";

export interface AuthRolePermissionPolicy {
    /**
     * Actions allowed on the entity or '*' for all. e.g. 'add'
     */
    actionSets: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Conditions specific to this resource. This is only applicable to some permission types.
     */
    conditions?: pulumi.Input<inputs.AuthRolePermissionPolicyConditions | undefined>;
    /**
     * Permission domain. e.g 'directory'
     */
    domain: pulumi.Input<string>;
    /**
     * Permission entity or '*' for all. e.g. 'user'
     */
    entityName: pulumi.Input<string>;
}

export interface AuthRolePermissionPolicyConditions {
    /**
     * Conjunction for condition terms (AND | OR).
     */
    conjunction: pulumi.Input<string>;
    /**
     * Terms of the condition.
     */
    terms: pulumi.Input<pulumi.Input<inputs.AuthRolePermissionPolicyConditionsTerm>[]>;
}

export interface AuthRolePermissionPolicyConditionsTerm {
    /**
     * Operands for this condition.
     */
    operands: pulumi.Input<pulumi.Input<inputs.AuthRolePermissionPolicyConditionsTermOperand>[]>;
    /**
     * Operator type (EQ | IN | GE | GT | LE | LT).
     */
    operator: pulumi.Input<string>;
    /**
     * Variable name being compared. This varies depending on the permission.
     */
    variableName: pulumi.Input<string>;
}

export interface AuthRolePermissionPolicyConditionsTermOperand {
    /**
     * Queue ID for QUEUE types.
     */
    queueId?: pulumi.Input<string | undefined>;
    /**
     * Value type (USER | QUEUE | SCALAR | VARIABLE).
     */
    type: pulumi.Input<string>;
    /**
     * User ID for USER types.
     */
    userId?: pulumi.Input<string | undefined>;
    /**
     * Value for operand. For USER or QUEUE types, use userId or queueId instead.
     */
    value?: pulumi.Input<string | undefined>;
}

export interface IntegrationActionConfigRequest {
    /**
     * Map of headers in name, value pairs to include in request.
     */
    headers?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    /**
     * Velocity template to define request body sent to 3rd party service. (The Terraform docs' advice to escape '${' as '$${' is for HCL: from Pulumi pass '${' as is.)
     */
    requestTemplate?: pulumi.Input<string | undefined>;
    /**
     * HTTP method to use for request (GET | PUT | POST | PATCH | DELETE).
     */
    requestType: pulumi.Input<string>;
    /**
     * URL that may include placeholders for requests to 3rd party service.
     */
    requestUrlTemplate?: pulumi.Input<string | undefined>;
}

export interface IntegrationActionConfigResponse {
    /**
     * Velocity template to build response to return from Action. (The Terraform docs' advice to escape '${' as '$${' is for HCL: from Pulumi pass '${' as is.)
     */
    successTemplate?: pulumi.Input<string | undefined>;
    /**
     * Map 'attribute name' and 'JSON path' pairs used to extract data from REST response.
     */
    translationMap?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    /**
     * Map 'attribute name' and 'default value' pairs used as fallback values if JSON path extraction fails for specified key.
     */
    translationMapDefaults?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
}

export interface IntegrationActionFunctionConfig {
    /**
     * Description of the function.
     */
    description?: pulumi.Input<string | undefined>;
    /**
     * The zip file path containing the function data action's code. During the export just the name of the zip file will be exported
     */
    filePath: pulumi.Input<string>;
    /**
     * The handler function name.
     */
    handler?: pulumi.Input<string | undefined>;
    /**
     * The runtime environment for the function.
     */
    runtime?: pulumi.Input<string | undefined>;
    /**
     * Timeout in seconds for the function execution.
     */
    timeoutSeconds?: pulumi.Input<number | undefined>;
    /**
     * The ID of the uploaded zip file containing the function code.
     */
    zipId?: pulumi.Input<string | undefined>;
}

export interface IntegrationConfig {
    /**
     * Integration advanced config (JSON string).
     */
    advanced?: pulumi.Input<string | undefined>;
    /**
     * Credentials required for the integration. The required keys are indicated in the credentials property of the Integration Type.
     */
    credentials?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    /**
     * Integration name.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Integration notes.
     */
    notes?: pulumi.Input<string | undefined>;
    /**
     * Integration config properties (JSON string).
     */
    properties?: pulumi.Input<string | undefined>;
}

export interface OauthClientRole {
    /**
     * Division associated with the given role which forms a grant. If not set, the home division will be used. '*' may be set for all divisions.
     */
    divisionId?: pulumi.Input<string | undefined>;
    /**
     * Role to be associated with the given division which forms a grant.
     */
    roleId: pulumi.Input<string>;
}

export interface ProviderGateway {
    auth?: pulumi.Input<inputs.ProviderGatewayAuth | undefined>;
    /**
     * Host for the gateway can be set with the `GENESYSCLOUD_GATEWAY_HOST` environment variable.
     */
    host?: pulumi.Input<string | undefined>;
    pathParams?: pulumi.Input<pulumi.Input<inputs.ProviderGatewayPathParam>[] | undefined>;
    /**
     * Port for the gateway can be set with the `GENESYSCLOUD_GATEWAY_PORT` environment variable.
     */
    port?: pulumi.Input<string | undefined>;
    /**
     * Protocol for the gateway can be set with the `GENESYSCLOUD_GATEWAY_PROTOCOL` environment variable.
     */
    protocol?: pulumi.Input<string | undefined>;
}

export interface ProviderGatewayAuth {
    /**
     * Password for the Auth can be set with the `GENESYSCLOUD_PROXY_AUTH_PASSWORD` environment variable.
     */
    password?: pulumi.Input<string | undefined>;
    /**
     * UserName for the Auth can be set with the `GENESYSCLOUD_PROXY_AUTH_USERNAME` environment variable.
     */
    username?: pulumi.Input<string | undefined>;
}

export interface ProviderGatewayPathParam {
    /**
     * Path name for Gateway Path Params can be set with the `GENESYSCLOUD_GATEWAY_PATH_NAME` environment variable.
     */
    pathName: pulumi.Input<string>;
    /**
     * Path value for Gateway Path Params can be set with the `GENESYSCLOUD_GATEWAY_PATH_VALUE` environment variable.
     */
    pathValue: pulumi.Input<string>;
}

export interface ProviderProxy {
    auth?: pulumi.Input<inputs.ProviderProxyAuth | undefined>;
    /**
     * Host for the proxy can be set with the `GENESYSCLOUD_PROXY_HOST` environment variable.
     */
    host?: pulumi.Input<string | undefined>;
    /**
     * Port for the proxy can be set with the `GENESYSCLOUD_PROXY_PORT` environment variable.
     */
    port?: pulumi.Input<string | undefined>;
    /**
     * Protocol for the proxy can be set with the `GENESYSCLOUD_PROXY_PROTOCOL` environment variable.
     */
    protocol?: pulumi.Input<string | undefined>;
}

export interface ProviderProxyAuth {
    /**
     * Password for the Auth can be set with the `GENESYSCLOUD_PROXY_AUTH_PASSWORD` environment variable.
     */
    password?: pulumi.Input<string | undefined>;
    /**
     * UserName for the Auth can be set with the `GENESYSCLOUD_PROXY_AUTH_USERNAME` environment variable.
     */
    username?: pulumi.Input<string | undefined>;
}

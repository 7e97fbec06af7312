// *** Written by hand in the shape that `pulumi package add terraform-provider mypurecloud/genesyscloud 1.84.0` ***
// *** generates; regenerating the SDK replaces this file. See README.md.                                       ***

import * as outputs from "../types/output";

export interface AuthRolePermissionPolicy {
    /**
     * Actions allowed on the entity or '*' for all. e.g. 'add'
     */
    actionSets: string[];
    /**
     * Conditions specific to this resource. This is only applicable to some permission types.
     */
    conditions?: outputs.AuthRolePermissionPolicyConditions;
    /**
     * Permission domain. e.g 'directory'
     */
    domain: string;
    /**
     * Permission entity or '*' for all. e.g. 'user'
     */
    entityName: string;
}

export interface AuthRolePermissionPolicyConditions {
    /**
     * Conjunction for condition terms (AND | OR).
     */
    conjunction: string;
    /**
     * Terms of the condition.
     */
    terms: outputs.AuthRolePermissionPolicyConditionsTerm[];
}

export interface AuthRolePermissionPolicyConditionsTerm {
    /**
     * Operands for this condition.
     */
    operands: outputs.AuthRolePermissionPolicyConditionsTermOperand[];
    /**
     * Operator type (EQ | IN | GE | GT | LE | LT).
     */
    operator: string;
    /**
     * Variable name being compared. This varies depending on the permission.
     */
    variableName: string;
}

export interface AuthRolePermissionPolicyConditionsTermOperand {
    /**
     * Queue ID for QUEUE types.
     */
    queueId?: string;
    /**
     * Value type (USER | QUEUE | SCALAR | VARIABLE).
     */
    type: string;
    /**
     * User ID for USER types.
     */
    userId?: string;
    /**
     * Value for operand. For USER or QUEUE types, use userId or queueId instead.
     */
    value?: string;
}

export interface IntegrationActionConfigRequest {
    /**
     * Map of headers in name, value pairs to include in request.
     */
    headers?: {[key: string]: string};
    /**
     * Velocity template to define request body sent to 3rd party service. (The Terraform docs' advice to escape '${' as '$${' is for HCL: from Pulumi pass '${' as is.)
     */
    requestTemplate: string;
    /**
     * HTTP method to use for request (GET | PUT | POST | PATCH | DELETE).
     */
    requestType: string;
    /**
     * URL that may include placeholders for requests to 3rd party service.
     */
    requestUrlTemplate: string;
}

export interface IntegrationActionConfigResponse {
    /**
     * Velocity template to build response to return from Action. (The Terraform docs' advice to escape '${' as '$${' is for HCL: from Pulumi pass '${' as is.)
     */
    successTemplate: string;
    /**
     * Map 'attribute name' and 'JSON path' pairs used to extract data from REST response.
     */
    translationMap?: {[key: string]: string};
    /**
     * Map 'attribute name' and 'default value' pairs used as fallback values if JSON path extraction fails for specified key.
     */
    translationMapDefaults?: {[key: string]: string};
}

export interface IntegrationActionFunctionConfig {
    /**
     * Description of the function.
     */
    description: string;
    /**
     * The zip file path containing the function data action's code. During the export just the name of the zip file will be exported
     */
    filePath: string;
    /**
     * The handler function name.
     */
    handler: string;
    /**
     * The runtime environment for the function.
     */
    runtime: string;
    /**
     * Timeout in seconds for the function execution.
     */
    timeoutSeconds: number;
    /**
     * The ID of the uploaded zip file containing the function code.
     */
    zipId: string;
}

export interface IntegrationConfig {
    /**
     * Integration advanced config (JSON string).
     */
    advanced: string;
    /**
     * Credentials required for the integration. The required keys are indicated in the credentials property of the Integration Type.
     */
    credentials?: {[key: string]: string};
    /**
     * Integration name.
     */
    name: string;
    /**
     * Integration notes.
     */
    notes?: string;
    /**
     * Integration config properties (JSON string).
     */
    properties: string;
}

export interface OauthClientRole {
    /**
     * Division associated with the given role which forms a grant. If not set, the home division will be used. '*' may be set for all divisions.
     */
    divisionId: string;
    /**
     * Role to be associated with the given division which forms a grant.
     */
    roleId: string;
}

export namespace config {
    export interface Gateways {
        auth?: outputs.config.GatewaysAuth;
        /**
         * Host for the gateway can be set with the `GENESYSCLOUD_GATEWAY_HOST` environment variable.
         */
        host?: string;
        pathParams?: outputs.config.GatewaysPathParam[];
        /**
         * Port for the gateway can be set with the `GENESYSCLOUD_GATEWAY_PORT` environment variable.
         */
        port?: string;
        /**
         * Protocol for the gateway can be set with the `GENESYSCLOUD_GATEWAY_PROTOCOL` environment variable.
         */
        protocol?: string;
    }

    export interface GatewaysAuth {
        /**
         * Password for the Auth can be set with the `GENESYSCLOUD_PROXY_AUTH_PASSWORD` environment variable.
         */
        password?: string;
        /**
         * UserName for the Auth can be set with the `GENESYSCLOUD_PROXY_AUTH_USERNAME` environment variable.
         */
        username?: string;
    }

    export interface GatewaysPathParam {
        /**
         * Path name for Gateway Path Params can be set with the `GENESYSCLOUD_GATEWAY_PATH_NAME` environment variable.
         */
        pathName: string;
        /**
         * Path value for Gateway Path Params can be set with the `GENESYSCLOUD_GATEWAY_PATH_VALUE` environment variable.
         */
        pathValue: string;
    }

    export interface Proxy {
        auth?: outputs.config.ProxyAuth;
        /**
         * Host for the proxy can be set with the `GENESYSCLOUD_PROXY_HOST` environment variable.
         */
        host?: string;
        /**
         * Port for the proxy can be set with the `GENESYSCLOUD_PROXY_PORT` environment variable.
         */
        port?: string;
        /**
         * Protocol for the proxy can be set with the `GENESYSCLOUD_PROXY_PROTOCOL` environment variable.
         */
        protocol?: string;
    }

    export interface ProxyAuth {
        /**
         * Password for the Auth can be set with the `GENESYSCLOUD_PROXY_AUTH_PASSWORD` environment variable.
         */
        password?: string;
        /**
         * UserName for the Auth can be set with the `GENESYSCLOUD_PROXY_AUTH_USERNAME` environment variable.
         */
        username?: string;
    }

}

// *** Written by hand in the shape that `pulumi package add terraform-provider mypurecloud/genesyscloud 1.84.0` ***
// *** generates; regenerating the SDK replaces this file. See README.md.                                       ***

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * Genesys Cloud Integration Actions (Terraform resource `genesyscloud_integration_action`).
 *
 * ## Import
 *
 * ```sh
 * $ pulumi import genesyscloud:index/integrationAction:IntegrationAction example <action id>
 * ```
 */
export class IntegrationAction extends pulumi.CustomResource {
    /**
     * Get an existing IntegrationAction resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: IntegrationActionState, opts?: pulumi.CustomResourceOptions): IntegrationAction {
        return new IntegrationAction(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'genesyscloud:index/integrationAction:IntegrationAction';

    /**
     * Returns true if the given object is an instance of IntegrationAction.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is IntegrationAction {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === IntegrationAction.__pulumiType;
    }

    /**
     * Category of action. Can be up to 256 characters long. If the category contains 'function data action' (case-insensitive, underscores and hyphens treated as spaces), the action will be treated as a function data action and requires functionConfig to be set.
     */
    declare public readonly category: pulumi.Output<string>;
    /**
     * Configuration of outbound request.
     */
    declare public readonly configRequest: pulumi.Output<outputs.IntegrationActionConfigRequest | undefined>;
    /**
     * Configuration of response processing.
     */
    declare public readonly configResponse: pulumi.Output<outputs.IntegrationActionConfigResponse>;
    /**
     * Optional 1-60 second timeout enforced on the execution or test of this action. This setting is invalid for Custom Authentication Actions.
     */
    declare public readonly configTimeoutSeconds: pulumi.Output<number | undefined>;
    /**
     * JSON Schema that defines the body of the request that the client (edge/architect/postman) is sending to the service, on the /execute path. Changing the contractInput attribute will cause the existing integrationAction to be dropped and recreated with a new ID.
     */
    declare public readonly contractInput: pulumi.Output<string>;
    /**
     * JSON schema that defines the transformed, successful result that will be sent back to the caller. Changing the contractOutput attribute will cause the existing integrationAction to be dropped and recreated with a new ID.
     */
    declare public readonly contractOutput: pulumi.Output<string>;
    /**
     * Configuration of the function settings.
     */
    declare public readonly functionConfig: pulumi.Output<outputs.IntegrationActionFunctionConfig>;
    /**
     * The ID of the integration this action is associated with. Changing the integrationId attribute will cause the existing integrationAction to be dropped and recreated with a new ID.
     */
    declare public readonly integrationId: pulumi.Output<string>;
    /**
     * Name of the action. Can be up to 256 characters long
     */
    declare public readonly name: pulumi.Output<string>;
    /**
     * Indication of whether or not the action is designed to accept sensitive data. Changing the secure attribute will cause the existing integrationAction to be dropped and recreated with a new ID. Defaults to `false`.
     */
    declare public readonly secure: pulumi.Output<boolean | undefined>;

    /**
     * Create a IntegrationAction resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: IntegrationActionArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: IntegrationActionArgs | IntegrationActionState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as IntegrationActionState | undefined;
            resourceInputs["category"] = state?.category;
            resourceInputs["configRequest"] = state?.configRequest;
            resourceInputs["configResponse"] = state?.configResponse;
            resourceInputs["configTimeoutSeconds"] = state?.configTimeoutSeconds;
            resourceInputs["contractInput"] = state?.contractInput;
            resourceInputs["contractOutput"] = state?.contractOutput;
            resourceInputs["functionConfig"] = state?.functionConfig;
            resourceInputs["integrationId"] = state?.integrationId;
            resourceInputs["name"] = state?.name;
            resourceInputs["secure"] = state?.secure;
        } else {
            const args = argsOrState as IntegrationActionArgs | undefined;
            if (args?.category === undefined && !opts.urn) {
                throw new Error("Missing required property 'category'");
            }
            if (args?.contractInput === undefined && !opts.urn) {
                throw new Error("Missing required property 'contractInput'");
            }
            if (args?.contractOutput === undefined && !opts.urn) {
                throw new Error("Missing required property 'contractOutput'");
            }
            if (args?.integrationId === undefined && !opts.urn) {
                throw new Error("Missing required property 'integrationId'");
            }
            resourceInputs["category"] = args?.category;
            resourceInputs["configRequest"] = args?.configRequest;
            resourceInputs["configResponse"] = args?.configResponse;
            resourceInputs["configTimeoutSeconds"] = args?.configTimeoutSeconds;
            resourceInputs["contractInput"] = args?.contractInput;
            resourceInputs["contractOutput"] = args?.contractOutput;
            resourceInputs["functionConfig"] = args?.functionConfig;
            resourceInputs["integrationId"] = args?.integrationId;
            resourceInputs["name"] = args?.name;
            resourceInputs["secure"] = args?.secure;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(IntegrationAction.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering IntegrationAction resources.
 */
export interface IntegrationActionState {
    /**
     * Category of action. Can be up to 256 characters long. If the category contains 'function data action' (case-insensitive, underscores and hyphens treated as spaces), the action will be treated as a function data action and requires functionConfig to be set.
     */
    category?: pulumi.Input<string | undefined>;
    /**
     * Configuration of outbound request.
     */
    configRequest?: pulumi.Input<inputs.IntegrationActionConfigRequest | undefined>;
    /**
     * Configuration of response processing.
     */
    configResponse?: pulumi.Input<inputs.IntegrationActionConfigResponse | undefined>;
    /**
     * Optional 1-60 second timeout enforced on the execution or test of this action. This setting is invalid for Custom Authentication Actions.
     */
    configTimeoutSeconds?: pulumi.Input<number | undefined>;
    /**
     * JSON Schema that defines the body of the request that the client (edge/architect/postman) is sending to the service, on the /execute path. Changing the contractInput attribute will cause the existing integrationAction to be dropped and recreated with a new ID.
     */
    contractInput?: pulumi.Input<string | undefined>;
    /**
     * JSON schema that defines the transformed, successful result that will be sent back to the caller. Changing the contractOutput attribute will cause the existing integrationAction to be dropped and recreated with a new ID.
     */
    contractOutput?: pulumi.Input<string | undefined>;
    /**
     * Configuration of the function settings.
     */
    functionConfig?: pulumi.Input<inputs.IntegrationActionFunctionConfig | undefined>;
    /**
     * The ID of the integration this action is associated with. Changing the integrationId attribute will cause the existing integrationAction to be dropped and recreated with a new ID.
     */
    integrationId?: pulumi.Input<string | undefined>;
    /**
     * Name of the action. Can be up to 256 characters long
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Indication of whether or not the action is designed to accept sensitive data. Changing the secure attribute will cause the existing integrationAction to be dropped and recreated with a new ID. Defaults to `false`.
     */
    secure?: pulumi.Input<boolean | undefined>;
}

/**
 * The set of arguments for constructing a IntegrationAction resource.
 */
export interface IntegrationActionArgs {
    /**
     * Category of action. Can be up to 256 characters long. If the category contains 'function data action' (case-insensitive, underscores and hyphens treated as spaces), the action will be treated as a function data action and requires functionConfig to be set.
     */
    category: pulumi.Input<string>;
    /**
     * Configuration of outbound request.
     */
    configRequest?: pulumi.Input<inputs.IntegrationActionConfigRequest | undefined>;
    /**
     * Configuration of response processing.
     */
    configResponse?: pulumi.Input<inputs.IntegrationActionConfigResponse | undefined>;
    /**
     * Optional 1-60 second timeout enforced on the execution or test of this action. This setting is invalid for Custom Authentication Actions.
     */
    configTimeoutSeconds?: pulumi.Input<number | undefined>;
    /**
     * JSON Schema that defines the body of the request that the client (edge/architect/postman) is sending to the service, on the /execute path. Changing the contractInput attribute will cause the existing integrationAction to be dropped and recreated with a new ID.
     */
    contractInput: pulumi.Input<string>;
    /**
     * JSON schema that defines the transformed, successful result that will be sent back to the caller. Changing the contractOutput attribute will cause the existing integrationAction to be dropped and recreated with a new ID.
     */
    contractOutput: pulumi.Input<string>;
    /**
     * Configuration of the function settings.
     */
    functionConfig?: pulumi.Input<inputs.IntegrationActionFunctionConfig | undefined>;
    /**
     * The ID of the integration this action is associated with. Changing the integrationId attribute will cause the existing integrationAction to be dropped and recreated with a new ID.
     */
    integrationId: pulumi.Input<string>;
    /**
     * Name of the action. Can be up to 256 characters long
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Indication of whether or not the action is designed to accept sensitive data. Changing the secure attribute will cause the existing integrationAction to be dropped and recreated with a new ID. Defaults to `false`.
     */
    secure?: pulumi.Input<boolean | undefined>;
}

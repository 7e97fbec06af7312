// *** Written by hand in the shape that `pulumi package add terraform-provider mypurecloud/genesyscloud 1.84.0` ***
// *** generates; regenerating the SDK replaces this file. See README.md.                                       ***

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * Genesys Cloud Authorization Role (Terraform resource `genesyscloud_auth_role`).
 *
 * ## Import
 *
 * ```sh
 * $ pulumi import genesyscloud:index/authRole:AuthRole example <role id>
 * ```
 */
export class AuthRole extends pulumi.CustomResource {
    /**
     * Get an existing AuthRole resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: AuthRoleState, opts?: pulumi.CustomResourceOptions): AuthRole {
        return new AuthRole(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'genesyscloud:index/authRole:AuthRole';

    /**
     * Returns true if the given object is an instance of AuthRole.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is AuthRole {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === AuthRole.__pulumiType;
    }

    /**
     * Internal ID for an existing default role, e.g. 'employee'. This can be set to manage permissions on existing default roles.  Note: Changing the defaultRoleId attribute will cause this authRole to be dropped and recreated with a new ID.
     */
    declare public readonly defaultRoleId: pulumi.Output<string | undefined>;
    /**
     * Role description.
     */
    declare public readonly description: pulumi.Output<string | undefined>;
    /**
     * Role name. This cannot be modified for default roles.
     */
    declare public readonly name: pulumi.Output<string>;
    /**
     * Role permission policies.
     */
    declare public readonly permissionPolicies: pulumi.Output<outputs.AuthRolePermissionPolicy[] | undefined>;
    /**
     * General role permissions. e.g. 'group_creation'
     */
    declare public readonly permissions: pulumi.Output<string[] | undefined>;

    /**
     * Create a AuthRole resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: AuthRoleArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: AuthRoleArgs | AuthRoleState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as AuthRoleState | undefined;
            resourceInputs["defaultRoleId"] = state?.defaultRoleId;
            resourceInputs["description"] = state?.description;
            resourceInputs["name"] = state?.name;
            resourceInputs["permissionPolicies"] = state?.permissionPolicies;
            resourceInputs["permissions"] = state?.permissions;
        } else {
            const args = argsOrState as AuthRoleArgs | undefined;
            resourceInputs["defaultRoleId"] = args?.defaultRoleId;
            resourceInputs["description"] = args?.description;
            resourceInputs["name"] = args?.name;
            resourceInputs["permissionPolicies"] = args?.permissionPolicies;
            resourceInputs["permissions"] = args?.permissions;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(AuthRole.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering AuthRole resources.
 */
export interface AuthRoleState {
    /**
     * Internal ID for an existing default role, e.g. 'employee'. This can be set to manage permissions on existing default roles.  Note: Changing the defaultRoleId attribute will cause this authRole to be dropped and recreated with a new ID.
     */
    defaultRoleId?: pulumi.Input<string | undefined>;
    /**
     * Role description.
     */
    description?: pulumi.Input<string | undefined>;
    /**
     * Role name. This cannot be modified for default roles.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Role permission policies.
     */
    permissionPolicies?: pulumi.Input<pulumi.Input<inputs.AuthRolePermissionPolicy>[] | undefined>;
    /**
     * General role permissions. e.g. 'group_creation'
     */
    permissions?: pulumi.Input<pulumi.Input<string>[] | undefined>;
}

/**
 * The set of arguments for constructing a AuthRole resource.
 */
export interface AuthRoleArgs {
    /**
     * Internal ID for an existing default role, e.g. 'employee'. This can be set to manage permissions on existing default roles.  Note: Changing the defaultRoleId attribute will cause this authRole to be dropped and recreated with a new ID.
     */
    defaultRoleId?: pulumi.Input<string | undefined>;
    /**
     * Role description.
     */
    description?: pulumi.Input<string | undefined>;
    /**
     * Role name. This cannot be modified for default roles.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Role permission policies.
     */
    permissionPolicies?: pulumi.Input<pulumi.Input<inputs.AuthRolePermissionPolicy>[] | undefined>;
    /**
     * General role permissions. e.g. 'group_creation'
     */
    permissions?: pulumi.Input<pulumi.Input<string>[] | undefined>;
}

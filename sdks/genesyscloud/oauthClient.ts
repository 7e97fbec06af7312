// *** Written by hand in the shape that `pulumi package add terraform-provider mypurecloud/genesyscloud 1.84.0` ***
// *** generates; regenerating the SDK replaces this file. See README.md.                                       ***

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * Genesys Cloud OAuth Clients (Terraform resource `genesyscloud_oauth_client`).
 *
 * ## Import
 *
 * ```sh
 * $ pulumi import genesyscloud:index/oauthClient:OauthClient example <client id>
 * ```
 */
export class OauthClient extends pulumi.CustomResource {
    /**
     * Get an existing OauthClient resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: OauthClientState, opts?: pulumi.CustomResourceOptions): OauthClient {
        return new OauthClient(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'genesyscloud:index/oauthClient:OauthClient';

    /**
     * Returns true if the given object is an instance of OauthClient.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is OauthClient {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === OauthClient.__pulumiType;
    }

    /**
     * The number of seconds, between 5mins and 48hrs, until tokens created with this client expire. Only clients using Genesys Cloud SCIM (Identity Management) can have a maximum duration of 38880000secs/450 days. Defaults to `86400`.
     */
    declare public readonly accessTokenValiditySeconds: pulumi.Output<number | undefined>;
    /**
     * The OAuth Grant/Client type supported by this client (CODE | TOKEN | SAML2-BEARER | PASSWORD | CLIENT-CREDENTIALS).
     */
    declare public readonly authorizedGrantType: pulumi.Output<string>;
    /**
     * Place holder that can be referred in integrationCredential fields.
     */
    declare public /*out*/ readonly clientId: pulumi.Output<string>;
    /**
     * Place holder that can be referred in integrationCredential fields. Sensitive info. Only populated when exposeClientSecret is true.
     */
    declare public readonly clientSecret: pulumi.Output<string>;
    /**
     * The description of the OAuth client.
     */
    declare public readonly description: pulumi.Output<string | undefined>;
    /**
     * Directory where the secret can be stored.
     */
    declare public readonly directoryClientSecret: pulumi.Output<string | undefined>;
    /**
     * Set this attribute to true to expose the clientSecret as a sensitive output. This stores the secret in the Terraform state Defaults to `false`.
     */
    declare public readonly exposeClientSecret: pulumi.Output<boolean | undefined>;
    /**
     * The Id of the created Integration Credential using this new OAuth Client.
     */
    declare public /*out*/ readonly integrationCredentialId: pulumi.Output<string>;
    /**
     * Optionally, a Name of a Integration Credential (with credential type pureCloudOAuthClient) to be created using this new OAuth Client.
     */
    declare public readonly integrationCredentialName: pulumi.Output<string | undefined>;
    /**
     * The name of the OAuth client.
     */
    declare public readonly name: pulumi.Output<string>;
    /**
     * List of allowed callbacks for this client. For example: https://myapp.example.com/auth/callback.
     */
    declare public readonly registeredRedirectUris: pulumi.Output<string[] | undefined>;
    /**
     * Set of roles and their corresponding divisions associated with this client. Roles must be set for clients using the CLIENT-CREDENTIALS grant. The roles must also already be assigned to the OAuth Client used by Terraform.
     */
    declare public readonly roles: pulumi.Output<outputs.OauthClientRole[] | undefined>;
    /**
     * The scopes requested by this client. Scopes must be set for clients not using the CLIENT-CREDENTIALS grant.
     */
    declare public readonly scopes: pulumi.Output<string[] | undefined>;
    /**
     * The state of the OAuth client (active | inactive). Access tokens cannot be created with inactive clients. Defaults to `active`.
     */
    declare public readonly state: pulumi.Output<string | undefined>;

    /**
     * Create a OauthClient resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: OauthClientArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: OauthClientArgs | OauthClientState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as OauthClientState | undefined;
            resourceInputs["accessTokenValiditySeconds"] = state?.accessTokenValiditySeconds;
            resourceInputs["authorizedGrantType"] = state?.authorizedGrantType;
            resourceInputs["clientId"] = state?.clientId;
            resourceInputs["clientSecret"] = state?.clientSecret;
            resourceInputs["description"] = state?.description;
            resourceInputs["directoryClientSecret"] = state?.directoryClientSecret;
            resourceInputs["exposeClientSecret"] = state?.exposeClientSecret;
            resourceInputs["integrationCredentialId"] = state?.integrationCredentialId;
            resourceInputs["integrationCredentialName"] = state?.integrationCredentialName;
            resourceInputs["name"] = state?.name;
            resourceInputs["registeredRedirectUris"] = state?.registeredRedirectUris;
            resourceInputs["roles"] = state?.roles;
            resourceInputs["scopes"] = state?.scopes;
            resourceInputs["state"] = state?.state;
        } else {
            const args = argsOrState as OauthClientArgs | undefined;
            if (args?.authorizedGrantType === undefined && !opts.urn) {
                throw new Error("Missing required property 'authorizedGrantType'");
            }
            resourceInputs["accessTokenValiditySeconds"] = args?.accessTokenValiditySeconds;
            resourceInputs["authorizedGrantType"] = args?.authorizedGrantType;
            resourceInputs["clientSecret"] = args?.clientSecret ? pulumi.secret(args.clientSecret) : undefined;
            resourceInputs["description"] = args?.description;
            resourceInputs["directoryClientSecret"] = args?.directoryClientSecret;
            resourceInputs["exposeClientSecret"] = args?.exposeClientSecret;
            resourceInputs["integrationCredentialName"] = args?.integrationCredentialName;
            resourceInputs["name"] = args?.name;
            resourceInputs["registeredRedirectUris"] = args?.registeredRedirectUris;
            resourceInputs["roles"] = args?.roles;
            resourceInputs["scopes"] = args?.scopes;
            resourceInputs["state"] = args?.state;
            resourceInputs["clientId"] = undefined /*out*/;
            resourceInputs["integrationCredentialId"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        const secretOpts = { additionalSecretOutputs: ["clientSecret"] };
        opts = pulumi.mergeOptions(opts, secretOpts);
        super(OauthClient.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering OauthClient resources.
 */
export interface OauthClientState {
    /**
     * The number of seconds, between 5mins and 48hrs, until tokens created with this client expire. Only clients using Genesys Cloud SCIM (Identity Management) can have a maximum duration of 38880000secs/450 days. Defaults to `86400`.
     */
    accessTokenValiditySeconds?: pulumi.Input<number | undefined>;
    /**
     * The OAuth Grant/Client type supported by this client (CODE | TOKEN | SAML2-BEARER | PASSWORD | CLIENT-CREDENTIALS).
     */
    authorizedGrantType?: pulumi.Input<string | undefined>;
    /**
     * Place holder that can be referred in integrationCredential fields.
     */
    clientId?: pulumi.Input<string | undefined>;
    /**
     * Place holder that can be referred in integrationCredential fields. Sensitive info. Only populated when exposeClientSecret is true.
     */
    clientSecret?: pulumi.Input<string | undefined>;
    /**
     * The description of the OAuth client.
     */
    description?: pulumi.Input<string | undefined>;
    /**
     * Directory where the secret can be stored.
     */
    directoryClientSecret?: pulumi.Input<string | undefined>;
    /**
     * Set this attribute to true to expose the clientSecret as a sensitive output. This stores the secret in the Terraform state Defaults to `false`.
     */
    exposeClientSecret?: pulumi.Input<boolean | undefined>;
    /**
     * The Id of the created Integration Credential using this new OAuth Client.
     */
    integrationCredentialId?: pulumi.Input<string | undefined>;
    /**
     * Optionally, a Name of a Integration Credential (with credential type pureCloudOAuthClient) to be created using this new OAuth Client.
     */
    integrationCredentialName?: pulumi.Input<string | undefined>;
    /**
     * The name of the OAuth client.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * List of allowed callbacks for this client. For example: https://myapp.example.com/auth/callback.
     */
    registeredRedirectUris?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    /**
     * Set of roles and their corresponding divisions associated with this client. Roles must be set for clients using the CLIENT-CREDENTIALS grant. The roles must also already be assigned to the OAuth Client used by Terraform.
     */
    roles?: pulumi.Input<pulumi.Input<inputs.OauthClientRole>[] | undefined>;
    /**
     * The scopes requested by this client. Scopes must be set for clients not using the CLIENT-CREDENTIALS grant.
     */
    scopes?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    /**
     * The state of the OAuth client (active | inactive). Access tokens cannot be created with inactive clients. Defaults to `active`.
     */
    state?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a OauthClient resource.
 */
export interface OauthClientArgs {
    /**
     * The number of seconds, between 5mins and 48hrs, until tokens created with this client expire. Only clients using Genesys Cloud SCIM (Identity Management) can have a maximum duration of 38880000secs/450 days. Defaults to `86400`.
     */
    accessTokenValiditySeconds?: pulumi.Input<number | undefined>;
    /**
     * The OAuth Grant/Client type supported by this client (CODE | TOKEN | SAML2-BEARER | PASSWORD | CLIENT-CREDENTIALS).
     */
    authorizedGrantType: pulumi.Input<string>;
    /**
     * Place holder that can be referred in integrationCredential fields. Sensitive info. Only populated when exposeClientSecret is true.
     */
    clientSecret?: pulumi.Input<string | undefined>;
    /**
     * The description of the OAuth client.
     */
    description?: pulumi.Input<string | undefined>;
    /**
     * Directory where the secret can be stored.
     */
    directoryClientSecret?: pulumi.Input<string | undefined>;
    /**
     * Set this attribute to true to expose the clientSecret as a sensitive output. This stores the secret in the Terraform state Defaults to `false`.
     */
    exposeClientSecret?: pulumi.Input<boolean | undefined>;
    /**
     * Optionally, a Name of a Integration Credential (with credential type pureCloudOAuthClient) to be created using this new OAuth Client.
     */
    integrationCredentialName?: pulumi.Input<string | undefined>;
    /**
     * The name of the OAuth client.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * List of allowed callbacks for this client. For example: https://myapp.example.com/auth/callback.
     */
    registeredRedirectUris?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    /**
     * Set of roles and their corresponding divisions associated with this client. Roles must be set for clients using the CLIENT-CREDENTIALS grant. The roles must also already be assigned to the OAuth Client used by Terraform.
     */
    roles?: pulumi.Input<pulumi.Input<inputs.OauthClientRole>[] | undefined>;
    /**
     * The scopes requested by this client. Scopes must be set for clients not using the CLIENT-CREDENTIALS grant.
     */
    scopes?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    /**
     * The state of the OAuth client (active | inactive). Access tokens cannot be created with inactive clients. Defaults to `active`.
     */
    state?: pulumi.Input<string | undefined>;
}

// *** Written by hand in the shape that `pulumi package add terraform-provider mypurecloud/genesyscloud 1.84.0` ***
// *** generates; regenerating the SDK replaces this file. See README.md.                                       ***

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

// Export members:
export { AuthRoleArgs, AuthRoleState } from "./authRole";
export type AuthRole = import("./authRole").AuthRole;
export const AuthRole: typeof import("./authRole").AuthRole = null as any;
utilities.lazyLoad(exports, ["AuthRole"], () => require("./authRole"));

export { IntegrationArgs, IntegrationState } from "./integration";
export type Integration = import("./integration").Integration;
export const Integration: typeof import("./integration").Integration = null as any;
utilities.lazyLoad(exports, ["Integration"], () => require("./integration"));

export { IntegrationActionArgs, IntegrationActionState } from "./integrationAction";
export type IntegrationAction = import("./integrationAction").IntegrationAction;
export const IntegrationAction: typeof import("./integrationAction").IntegrationAction = null as any;
utilities.lazyLoad(exports, ["IntegrationAction"], () => require("./integrationAction"));

export { IntegrationCredentialArgs, IntegrationCredentialState } from "./integrationCredential";
export type IntegrationCredential = import("./integrationCredential").IntegrationCredential;
export const IntegrationCredential: typeof import("./integrationCredential").IntegrationCredential = null as any;
utilities.lazyLoad(exports, ["IntegrationCredential"], () => require("./integrationCredential"));

export { OauthClientArgs, OauthClientState } from "./oauthClient";
export type OauthClient = import("./oauthClient").OauthClient;
export const OauthClient: typeof import("./oauthClient").OauthClient = null as any;
utilities.lazyLoad(exports, ["OauthClient"], () => require("./oauthClient"));

export * from "./provider";
import { Provider } from "./provider";


// Export sub-modules:
import * as config from "./config";
import * as types from "./types";

export {
    config,
    types,
};

const _module = {
    version: utilities.getVersion(),
    construct: (name: string, type: string, urn: string): pulumi.Resource => {
        switch (type) {
            case "genesyscloud:index/authRole:AuthRole":
                return new AuthRole(name, <any>undefined, { urn })
            case "genesyscloud:index/integration:Integration":
                return new Integration(name, <any>undefined, { urn })
            case "genesyscloud:index/integrationAction:IntegrationAction":
                return new IntegrationAction(name, <any>undefined, { urn })
            case "genesyscloud:index/integrationCredential:IntegrationCredential":
                return new IntegrationCredential(name, <any>undefined, { urn })
            case "genesyscloud:index/oauthClient:OauthClient":
                return new OauthClient(name, <any>undefined, { urn })
            default:
                throw new Error(`unknown resource type ${type}`);
        }
    },
};
pulumi.runtime.registerResourceModule("genesyscloud", "index", _module)
pulumi.runtime.registerResourcePackage("genesyscloud", {
    version: utilities.getVersion(),
    constructProvider: (name: string, type: string, urn: string): pulumi.ProviderResource => {
        if (type !== "pulumi:providers:genesyscloud") {
            throw new Error(`unknown provider type ${type}`);
        }
        return new Provider(name, <any>undefined, { urn });
    },
});

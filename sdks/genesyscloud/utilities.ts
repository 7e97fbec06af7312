// *** Written by hand in the shape that `pulumi package add terraform-provider mypurecloud/genesyscloud 1.84.0` ***
// *** generates; regenerating the SDK replaces this file. See README.md.                                       ***

import * as runtime from "@pulumi/pulumi/runtime";
import * as pulumi from "@pulumi/pulumi";

export function getEnv(...vars: string[]): string | undefined {
    for (const v of vars) {
        const value = process.env[v];
        if (value) {
            return value;
        }
    }
    return undefined;
}

export function getEnvBoolean(...vars: string[]): boolean | undefined {
    const s = getEnv(...vars);
    if (s !== undefined) {
        // The spellings Go's strconv.ParseBool accepts, which is what Terraform uses.
        if (["1", "t", "T", "true", "TRUE", "True"].includes(s)) {
            return true;
        }
        if (["0", "f", "F", "false", "FALSE", "False"].includes(s)) {
            return false;
        }
    }
    return undefined;
}

export function getEnvNumber(...vars: string[]): number | undefined {
    const s = getEnv(...vars);
    if (s !== undefined) {
        const f = parseFloat(s);
        if (!isNaN(f)) {
            return f;
        }
    }
    return undefined;
}

/** The parts of ./package.json this SDK reads at run time (the postinstall copies it next to the compiled files). */
interface PackageManifest {
    version: string;
    pulumi: {
        name: string;
        version: string;
        server?: string;
        parameterization: { name: string; version: string; value: string };
    };
}

function manifest(): PackageManifest {
    return require("./package.json") as PackageManifest;
}

export function getVersion(): string {
    let version = manifest().version;
    // Node allows a leading "v" in versions, semver does not: drop it.
    if (version.indexOf("v") === 0) {
        version = version.slice(1);
    }
    return version;
}

/** @internal */
export function resourceOptsDefaults(): any {
    return { version: getVersion() };
}

/** @internal */
export function lazyLoad(exports: any, props: string[], loadModule: any) {
    for (const property of props) {
        Object.defineProperty(exports, property, {
            enumerable: true,
            get: function () {
                return loadModule()[property];
            },
        });
    }
}

/** @internal */
export async function callAsync<T>(
    tok: string,
    props: pulumi.Inputs,
    res?: pulumi.Resource,
    opts?: { property?: string },
): Promise<T> {
    const o: any = runtime.call<T>(tok, props, res, getPackage());
    const value = await o.promise(true /*withUnknowns*/);
    const isKnown = await o.isKnown;
    const isSecret = await o.isSecret;
    const problem: string | undefined = !isKnown ? "an unknown value" : isSecret ? "a secret value" : undefined;
    if (problem) {
        throw new Error(
            `Plain resource method "${tok}" incorrectly returned ${problem}. ` +
                "This is an error in the provider, please report this to the provider developer.",
        );
    }
    if (opts && opts.property) {
        return value[opts.property];
    }
    return value;
}

/**
 * Registers this parameterized package with the engine and returns its
 * package reference: the `terraform-provider` base plugin, parameterized with
 * the Terraform provider `registry.opentofu.org/mypurecloud/genesyscloud`
 * 1.84.0. Every resource of this SDK is registered against that reference.
 *
 * The base plugin version and the parameter are read from the `pulumi` block
 * of package.json, so they are written down in one place only.
 */
export async function getPackage(): Promise<string | undefined> {
    const plugin = manifest().pulumi;
    return runtime.registerPackage({
        baseProviderName: plugin.name,
        baseProviderVersion: plugin.version,
        baseProviderDownloadUrl: plugin.server ?? "",
        packageName: plugin.parameterization.name,
        packageVersion: plugin.parameterization.version,
        base64Parameter: plugin.parameterization.value,
    });
}

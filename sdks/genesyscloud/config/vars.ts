// *** Written by hand in the shape that `pulumi package add terraform-provider mypurecloud/genesyscloud 1.84.0` ***
// *** generates; regenerating the SDK replaces this file. See README.md.                                       ***

import * as pulumi from "@pulumi/pulumi";
import * as outputs from "../types/output";

declare var exports: any;
const __config = new pulumi.Config("genesyscloud");

/**
 * A string that the OAuth client uses to make requests. Can be set with the `GENESYSCLOUD_ACCESS_TOKEN` environment variable.
 */
export declare const accessToken: string | undefined;
Object.defineProperty(exports, "accessToken", {
    get() {
        return __config.get("accessToken");
    },
    enumerable: true,
});

/**
 * AWS region where org exists. e.g. us-east-1. Can be set with the `GENESYSCLOUD_REGION` environment variable.
 */
export declare const awsRegion: string | undefined;
Object.defineProperty(exports, "awsRegion", {
    get() {
        return __config.get("awsRegion");
    },
    enumerable: true,
});

/**
 * Maximum time to retry reading a resource after creation to handle eventual consistency. Can be set with the GENESYSCLOUD_CUSTOM_RETRY_TIMEOUT environment variable. Default is 5 minutes.
 */
export declare const customRetryTimeout: string | undefined;
Object.defineProperty(exports, "customRetryTimeout", {
    get() {
        return __config.get("customRetryTimeout");
    },
    enumerable: true,
});

export declare const gateways: outputs.config.Gateways[] | undefined;
Object.defineProperty(exports, "gateways", {
    get() {
        return __config.getObject<outputs.config.Gateways[]>("gateways");
    },
    enumerable: true,
});

/**
 * If true, stack traces will be logged to a file instead of crashing the provider, whenever possible. Can be set with the GENESYSCLOUD_LOG_STACK_TRACES environment variable.
 */
export declare const logStackTraces: boolean | undefined;
Object.defineProperty(exports, "logStackTraces", {
    get() {
        return __config.getObject<boolean>("logStackTraces");
    },
    enumerable: true,
});

/**
 * Specifies the file path for the stack trace logs. Can be set with the `GENESYSCLOUD_LOG_STACK_TRACES_FILE_PATH` environment variable. Default value is genesyscloud_stack_traces.log
 */
export declare const logStackTracesFilePath: string | undefined;
Object.defineProperty(exports, "logStackTracesFilePath", {
    get() {
        return __config.get("logStackTracesFilePath");
    },
    enumerable: true,
});

/**
 * Maximum pages to fetch in parallel when listing resources. Can be set with the `GENESYSCLOUD_MAX_CONCURRENT_PAGES` environment variable.
 */
export declare const maxConcurrentPages: number | undefined;
Object.defineProperty(exports, "maxConcurrentPages", {
    get() {
        return __config.getObject<number>("maxConcurrentPages");
    },
    enumerable: true,
});

/**
 * OAuthClient ID found on the OAuth page of Admin UI. Can be set with the `GENESYSCLOUD_OAUTHCLIENT_ID` environment variable.
 */
export declare const oauthclientId: string | undefined;
Object.defineProperty(exports, "oauthclientId", {
    get() {
        return __config.get("oauthclientId");
    },
    enumerable: true,
});

/**
 * OAuthClient secret found on the OAuth page of Admin UI. Can be set with the `GENESYSCLOUD_OAUTHCLIENT_SECRET` environment variable.
 */
export declare const oauthclientSecret: string | undefined;
Object.defineProperty(exports, "oauthclientSecret", {
    get() {
        return __config.get("oauthclientSecret");
    },
    enumerable: true,
});

export declare const proxy: outputs.config.Proxy | undefined;
Object.defineProperty(exports, "proxy", {
    get() {
        return __config.getObject<outputs.config.Proxy>("proxy");
    },
    enumerable: true,
});

/**
 * Enables debug tracing in the Genesys Cloud SDK client pool. Output will be written to standard log output. Can be set with the `GENESYSCLOUD_SDK_CLIENT_POOL_DEBUG` environment variable.
 */
export declare const sdkClientPoolDebug: boolean | undefined;
Object.defineProperty(exports, "sdkClientPoolDebug", {
    get() {
        return __config.getObject<boolean>("sdkClientPoolDebug");
    },
    enumerable: true,
});

/**
 * Enables debug tracing in the Genesys Cloud SDK. Output will be written to the local file 'sdk_debug.log'. Can be set with the `GENESYSCLOUD_SDK_DEBUG` environment variable.
 */
export declare const sdkDebug: boolean | undefined;
Object.defineProperty(exports, "sdkDebug", {
    get() {
        return __config.getObject<boolean>("sdkDebug");
    },
    enumerable: true,
});

/**
 * Specifies the file path for the log file. Can be set with the `GENESYSCLOUD_SDK_DEBUG_FILE_PATH` environment variable. Default value is sdk_debug.log
 */
export declare const sdkDebugFilePath: string | undefined;
Object.defineProperty(exports, "sdkDebugFilePath", {
    get() {
        return __config.get("sdkDebugFilePath");
    },
    enumerable: true,
});

/**
 * Specifies the data format of the 'sdk_debug.log'. Only applicable if sdk_debug is true. Can be set with the `GENESYSCLOUD_SDK_DEBUG_FORMAT` environment variable. Default value is Text.
 */
export declare const sdkDebugFormat: string | undefined;
Object.defineProperty(exports, "sdkDebugFormat", {
    get() {
        return __config.get("sdkDebugFormat");
    },
    enumerable: true,
});

/**
 * Timeout for acquiring a token from the pool. Can be set with the `GENESYSCLOUD_TOKEN_ACQUIRE_TIMEOUT` environment variable.
 */
export declare const tokenAcquireTimeout: string | undefined;
Object.defineProperty(exports, "tokenAcquireTimeout", {
    get() {
        return __config.get("tokenAcquireTimeout");
    },
    enumerable: true,
});

/**
 * Timeout for initializing the token pool. Can be set with the `GENESYSCLOUD_TOKEN_INIT_TIMEOUT` environment variable.
 */
export declare const tokenInitTimeout: string | undefined;
Object.defineProperty(exports, "tokenInitTimeout", {
    get() {
        return __config.get("tokenInitTimeout");
    },
    enumerable: true,
});

/**
 * Max number of OAuth tokens in the token pool (1-50). Can be set with the `GENESYSCLOUD_TOKEN_POOL_SIZE` environment variable.
 */
export declare const tokenPoolSize: number | undefined;
Object.defineProperty(exports, "tokenPoolSize", {
    get() {
        return __config.getObject<number>("tokenPoolSize");
    },
    enumerable: true,
});

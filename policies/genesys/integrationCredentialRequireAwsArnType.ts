import { resourcePolicy } from "../lib/projectPolicy";
import { GENESYS_INTEGRATION_CREDENTIAL } from "../lib/resourceTypes";

/** The credential type of AWS Lambda data actions; its one field, ARN, is the role Genesys assumes (facts §3). */
export const AWS_ARN_CREDENTIAL_TYPE = "amazonWebServicesARN";
const ARN_FIELD = "ARN";

export const genesysIntegrationCredentialRequireAwsArnType = resourcePolicy(
  {
    name: "genesys-integrationcredential-require-aws-arn-type",
    description: "Every Genesys Cloud integration credential is of type amazonWebServicesARN and carries an ARN field.",
    severity: "high",
    why: "The only credential this project gives Genesys is the ARN of the invoker role it assumes (with your organization id as ExternalId); any other type stores a reusable secret such as a client id and secret or a password inside Genesys.",
    remediationSteps: 'Set credentialTypeName: "amazonWebServicesARN" and fields: { ARN: <invoker role ARN> }.',
    resourceTypes: GENESYS_INTEGRATION_CREDENTIAL,
  },
  (credential, report) => {
    const type = credential.props.credentialTypeName;
    if (type !== AWS_ARN_CREDENTIAL_TYPE) {
      report(
        `Integration credential "${credential.name}" has credentialTypeName ${JSON.stringify(type)}; set it to "${AWS_ARN_CREDENTIAL_TYPE}".`,
      );
      // Another type has other fields: the missing ARN follows from this one mistake.
      return;
    }
    // fields is sensitive: look at its keys only, never at (or print) a value; the role ARN is also unknown at preview.
    const fields = credential.props.fields;
    const keys = typeof fields === "object" && fields !== null ? Object.keys(fields) : [];
    if (!keys.includes(ARN_FIELD)) {
      report(
        `Integration credential "${credential.name}" has no ${ARN_FIELD} field (its fields are ${keys.length > 0 ? keys.join(", ") : "empty"}); set fields.${ARN_FIELD} to the invoker role's ARN.`,
      );
    }
  },
);

// What `pulumi preview --policy-pack policies` loads. Only constructs the
// pack: the policies live in their own modules so `npm run check` can
// evaluate the same objects without starting a second policy server.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies, PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "./pack";

new PolicyPack(PACK_NAME, { enforcementLevel: PACK_ENFORCEMENT_LEVEL, policies: allPolicies });

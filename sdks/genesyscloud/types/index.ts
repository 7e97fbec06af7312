// *** Written by hand in the shape that `pulumi package add terraform-provider mypurecloud/genesyscloud 1.84.0` ***
// *** generates; regenerating the SDK replaces this file. See README.md.                                       ***

import * as utilities from "../utilities";

// Export sub-modules:
import * as input from "./input";
import * as output from "./output";

export {
    input,
    output,
};

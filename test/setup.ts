// Registers the cdktf jest matchers (toHaveResourceWithProperties, ...) and their types.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();
// No telemetry from cdktf or Terraform in tests.
process.env.CHECKPOINT_DISABLE = "1";

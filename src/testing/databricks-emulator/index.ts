export {
  DatabricksEmulator,
  startDatabricksEmulator,
  INSPECTION_PREFIX,
  type EmulatorOptions,
  type Faults,
  type RateLimits,
  type EmulatorUser,
  type LoggedRequest,
  type Counters,
} from "./emulator";

export { DatabricksEmulator, startDatabricksEmulator, type EmulatorOptions, type Faults, type RateLimits, type EmulatorUser, type LoggedRequest, type Counters } from "./emulator";

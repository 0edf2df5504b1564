export {
  InngestExecutor,
  startInngestExecutor,
  type ExecutorOptions,
  type InngestEvent,
  type RegisteredFunction,
  type Run,
  type CallRecord,
} from "./executor";
export { serveFetchHandler, type FetchServer } from "./serve-fetch";

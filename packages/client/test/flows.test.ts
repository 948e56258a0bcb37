import { inProcessServer } from './in-process.js';
import { describeSdkFlows } from './sdk-suite.js';

describeSdkFlows('the reference server (in-process)', inProcessServer);

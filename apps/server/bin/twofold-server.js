#!/usr/bin/env node
// The `twofold-server` command. A file of its own (not dist/main.js itself) so that pnpm can
// link the command at install, before the first build has made dist/.
import '../dist/main.js';

#!/usr/bin/env node
// Committed launcher: npm links a workspace's bin only when the target exists at install time,
// and dist/ is built afterwards (by `prepare`), so the link must point at a file in git.
import '../dist/bin.js'

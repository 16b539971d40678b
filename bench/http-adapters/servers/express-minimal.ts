// Express 5 with the minimal signals by hand (support/minimal-signals.ts) in one middleware: a
// reference for what the signals alone cost, not a setup to copy.
import express from 'express';
import { expressOrdersApp } from '../support/express-orders.js';
import { minimalSignals } from '../support/minimal-signals.js';
import { logFile, serve } from '../support/serve.js';

const signals = minimalSignals(logFile());
serve(expressOrdersApp(express, signals), () => signals.stop());

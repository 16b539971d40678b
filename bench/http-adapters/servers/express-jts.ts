// Express 5 with the full JTS instrumentation: @jts/express (context, correlation ID, route
// template), access line to a file, request metrics, sampled server span to a discarding exporter.
import express from 'express';
import { expressOrdersApp } from '../support/express-orders.js';
import { startJtsSignals } from '../support/jts-signals.js';
import { serve } from '../support/serve.js';

const stop = startJtsSignals();
serve(expressOrdersApp(express, 'jts'), stop);

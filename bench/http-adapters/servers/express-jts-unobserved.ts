// Express 5 with @jts/express installed but no signal created: what the request lifecycle and the
// route capture cost by themselves, apart from writing lines, metrics and spans.
import express from 'express';
import { expressOrdersApp } from '../support/express-orders.js';
import { serve } from '../support/serve.js';

serve(expressOrdersApp(express, 'jts'));

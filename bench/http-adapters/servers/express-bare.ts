// Bare Express 5: the baseline of the Express cases.
import express from 'express';
import { expressOrdersApp } from '../support/express-orders.js';
import { serve } from '../support/serve.js';

serve(expressOrdersApp(express, 'bare'));

#!/usr/bin/env node
import { loadStageConfig } from '../core/config/load-stage-config';
import { buildStage, newLogvaultApp } from '../lib/app';

const app = newLogvaultApp();
buildStage(app, loadStageConfig(app.node.tryGetContext('stage') ?? 'dev'));
app.synth();

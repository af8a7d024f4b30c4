# Common Ground. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOK_STAMP := $(VENV)/.notebook-installed
KERNEL := commonground

.PHONY: help setup run test lint clean lock browser notebook notebooks-html bench bench-quality bench-ceiling bench-planted bench-signals bench-dilemmas bench-roles train-signals bench-anonymise bench-scale bench-neighbours bench-labels bench-encoder mutation profile

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# The CPU build of torch first and explicitly: a range would pull a multi-GB GPU build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# The notebooks' kernel: this .venv's Python, registered inside .venv (JupyterLab and the tests find it there).
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (Common Ground)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the pinned project and models

run: $(STAMP) ## run the pipeline on the bundled sample into reports/sample
	$(BIN)/commonground run data/sample --out reports/sample

test: $(STAMP) ## run the test suite (unit, then end-to-end with the real models)
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## ruff (style, imports, likely bugs), the import contract (data flows one way through the stages), notebooks without outputs
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/nbstripout --verify notebooks/*.ipynb || { echo "notebooks hold outputs: run $(BIN)/nbstripout notebooks/*.ipynb"; exit 1; }

$(NOTEBOOK_STAMP): $(STAMP) requirements-notebook.txt
	$(BIN)/python -m pip install --quiet -r requirements-notebook.txt
	@touch $(NOTEBOOK_STAMP)

notebook: $(NOTEBOOK_STAMP) ## open JupyterLab on notebooks/ with the project's kernel (localhost only; open the URL it prints)
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 --no-browser --MappingKernelManager.default_kernel_name=$(KERNEL) $(if $(filter 0,$(shell id -u)),--allow-root)

notebooks-html: $(NOTEBOOK_STAMP) ## run every notebook and write it with its outputs as HTML to reports/notebooks/
	@# No script from the web: require.js and MathJax are left out (the figures carry the pinned plotly.js).
	$(BIN)/jupyter nbconvert --to html --execute --ExecutePreprocessor.kernel_name=$(KERNEL) \
	  --HTMLExporter.require_js_url=data:, --HTMLExporter.mathjax_url=data:, \
	  --output-dir reports/notebooks notebooks/*.ipynb

browser: ## install Chromium (Debian package) for the browser test, when missing
	@command -v chromium >/dev/null 2>&1 || { apt-get update && apt-get install -y chromium; }

# The functions that carry the promises (TESTING.md): mutants of the rest of these files are not run.
# The register's matching loop (matches, _inside_compound, _spaced, alias_key, norm, strip_possessive)
# runs in every anonymiser test, 30-60 s a mutant here: add it with MUTANTS_MORE=$(REGISTER_MATCHING).
REGISTER := $(foreach f,xǁRegisterǁadd_ xǁRegisterǁplaceholder xǁRegisterǁ_mode xǁRegisterǁ_set xǁRegisterǁ_allowed \
	xǁRegisterǁnew xǁRegisterǁforms x__after_determiner x__could_name x_could_be_name x__looser \
	x__drop_edge_particles x__token_at x__sentence_initial,'pipeline.anonymise.register.$(f)*')
REGISTER_MATCHING := $(foreach f,xǁRegisterǁmatches xǁRegisterǁ_inside_compound x__spaced x_alias_key x_norm \
	x_strip_possessive,'pipeline.anonymise.register.$(f)__*')
MUTANTS := 'pipeline.leakcheck.*' $(REGISTER) $(MUTANTS_MORE) 'pipeline.anonymise.core.x__replace__*' \
	'pipeline.anonymise.core.x__merge_overlaps__*' 'pipeline.anonymise.docs.x_apply_redactions__*' \
	'pipeline.ground.x_common_ground_scores__*' 'pipeline.ground.x_summarise_theme__*' \
	'pipeline.ground.x_summarise_themes__*' 'pipeline.themes.cluster.x_place_outliers__*' \
	'pipeline.themes.cluster.x_theme_centroids__*' 'pipeline.curation.apply.*' \
	'pipeline.report.writer.x_write_csv__*' 'pipeline.report.writer.x_write_json__*' \
	'pipeline.signals.principles.*' 'pipeline.dilemmas.decisions.x_decision_points__*' \
	'pipeline.dilemmas.reasons.x_common_ground__*'

mutation: $(STAMP) ## mutation testing (mutmut, one worker, 30-40 min) of the modules that carry the promises; see TESTING.md
	$(BIN)/python -m pip install --quiet -r tests/requirements-mutation.txt
	rm -rf mutants
	$(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/mutmut results --all true | $(BIN)/python tests/mutation_summary.py | tee mutants/summary.md
	@# mutmut skips decorated functions, so the writer's staging folder gets hand-made mutants.
	$(BIN)/python tests/mutation_by_hand.py

bench: $(STAMP) ## speed and memory on 40 AMI meetings vs BERTopic 0.17.4 (writes BENCHMARKS.md; BENCH_ARGS=--all for 137)
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements-quality.txt
	$(BIN)/python -m benchmarks.bench_speed $(BENCH_ARGS)

profile: $(STAMP) ## where a cold run on 40 AMI meetings spends its time, py-spy samples by stage and function (writes benchmarks/results/profile.md)
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements-profile.txt
	$(BIN)/python -m benchmarks.profile_run $(PROFILE_ARGS)

bench-anonymise: $(STAMP) ## anonymiser vs Presidio defaults on ../shared/eval (writes benchmarks/results/anonymise.md)
	@# --no-deps: presidio-analyzer declares preshed<3.0.14 and would replace the preshed spaCy uses; it runs fine on it.
	@# --target: kept out of .venv, where Presidio's spaCy entry point would slow every spacy.load by seconds.
	$(BIN)/python -m pip install --quiet --no-deps --upgrade --target benchmarks/.presidio -r benchmarks/requirements-anonymise.txt
	$(BIN)/python benchmarks/bench_anonymise.py

bench-quality: $(STAMP) ## themes vs BERTopic 0.17.4 and k-means on ../shared/eval (writes benchmarks/results/quality.md)
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements-quality.txt
	$(BIN)/python -m benchmarks.bench_quality

bench-labels: $(STAMP) ## theme labels said verbatim, unique and naming CLINC150's intents, beside BERTopic's (writes benchmarks/results/labels.md)
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements-quality.txt
	$(BIN)/python -m benchmarks.bench_labels

bench-ceiling: $(STAMP) ## CLINC150: our themes beside other clusterings of the same vectors and a supervised ceiling (writes benchmarks/results/ceiling.md)
	$(BIN)/python -m benchmarks.bench_ceiling

bench-planted: $(STAMP) ## ranks of the sample's planted dilemmas, context reading off and on (writes benchmarks/results/planted.md)
	$(BIN)/python -m benchmarks.bench_planted --context 0,2 0.25,2 0.5,1 0.5,2 0.5,3 1.0,2 1.0,3

bench-signals: $(STAMP) ## dilemma/decision flags against human codes (writes benchmarks/results/signals.md)
	$(BIN)/python -m benchmarks.bench_signals

train-signals: $(STAMP) ## rebuild the learned dilemma/decision/rationale detectors from ../shared/eval (writes pipeline/signals/detectors.json and its sha256 in models/models.toml)
	$(BIN)/python -m benchmarks.train_signals

bench-dilemmas: $(STAMP) ## the sample's shared dilemmas, decisions, reasons and common ground against its answer key (writes benchmarks/results/dilemmas.md)
	$(BIN)/python -m benchmarks.bench_dilemmas

bench-roles: $(STAMP) ## who is the interviewer: asking turns against question marks on AMI, the sample and world_after_covid (writes benchmarks/results/roles.md)
	$(BIN)/python -m benchmarks.bench_roles

bench-encoder: $(STAMP) ## the sentence encoder's paths (fp32, bf16, ONNX Runtime, int8): speed, cosine to fp32, theme quality (writes benchmarks/results/encoder.md)
	@test -f reports/sample/quotes.csv || $(BIN)/commonground run data/sample --out reports/sample
	$(BIN)/python -m benchmarks.bench_encoder --quality

bench-scale: $(STAMP) ## the themes stage on 100,000 quote vectors (after bench-quality; writes benchmarks/results/scale.md)
	$(BIN)/python -m benchmarks.bench_scale

bench-neighbours: $(STAMP) ## the approximate neighbour search against the exact one on ../shared/eval: same themes? (writes benchmarks/results/neighbours.md)
	$(BIN)/python -m benchmarks.bench_neighbours

lock: ## re-pin requirements.lock from the current .venv
	@{ echo "# Exact pins installed by \`make\` (after torch==2.13.0, the CPU build, installed explicitly)."; \
	  echo "# Regenerate from a working .venv with: make lock"; echo "torch==2.13.0"; \
	  $(BIN)/python -m pip freeze | grep -viE '^(-e|commonground|torch==)' | grep -viFxf <(grep -v '^#' requirements-notebook.txt); } > requirements.lock

clean: ## remove the virtual environment and generated reports
	rm -rf $(VENV) reports/sample reports/notebooks

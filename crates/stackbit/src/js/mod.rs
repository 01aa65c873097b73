//! TypeScript and JavaScript model files, read without running them: each module is parsed
//! with oxc, its top-level `const` bindings, imports and exports are collected, and what it
//! exports is evaluated statically ([`eval`]) into [`Located`] values. Imports of the site's
//! own files are followed (`import`, `export *`, `export { … } from`, `import * as`), cycles
//! and packages become values that say what they are, never errors: the model files are read
//! by the Stackbit editor only, so nothing in them can stop a site's build.

mod eval;

use crate::located::{Located, Lv};
use crate::SiteFiles;
use folio_diag::{Diagnostic, Span};
use oxc_allocator::Allocator;
use oxc_ast::ast::{
    BindingPattern, Declaration, ExportDefaultDeclarationKind, Expression,
    ImportDeclarationSpecifier, ModuleDeclaration, Program, SourceType, Statement,
};
use oxc_parser::Parser;
use std::collections::HashMap;
use std::sync::Arc;

/// What a module exports, evaluated.
#[derive(Debug, Default)]
pub struct Exports {
    /// Named exports in the order they are written (`export const`, `export { … }`, `export *`).
    pub named: Vec<(String, Located)>,
    /// `export default …` (or `module.exports = …`).
    pub default: Option<Located>,
}

impl Exports {
    /// The export called `name` (`default` for the default export).
    pub fn get(&self, name: &str) -> Option<&Located> {
        if name == "default" {
            return self.default.as_ref();
        }
        self.named.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

enum Slot {
    Loading,
    Loaded(Arc<Exports>),
}

/// The modules of one site read so far, with the texts read and the problems found.
pub struct Modules<'s> {
    files: &'s dyn SiteFiles,
    slots: HashMap<String, Slot>,
    /// Every file read, with its text (for diagnostics' snippets).
    pub sources: Vec<(String, Arc<str>)>,
    /// Files that could not be parsed.
    pub diagnostics: Vec<Diagnostic>,
}

/// How deep imports and references may nest before the value is given up as dynamic.
const MAX_DEPTH: usize = 64;

impl<'s> Modules<'s> {
    /// No modules read yet.
    pub fn new(files: &'s dyn SiteFiles) -> Self {
        Modules {
            files,
            slots: HashMap::new(),
            sources: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// The exports of the module at the site-relative `path`; `None` when there is no such
    /// file or it cannot be parsed (reported).
    pub fn load(&mut self, path: &str) -> Option<Arc<Exports>> {
        self.load_at_depth(path, 0)
    }

    fn load_at_depth(&mut self, path: &str, depth: usize) -> Option<Arc<Exports>> {
        match self.slots.get(path) {
            Some(Slot::Loaded(exports)) => return Some(Arc::clone(exports)),
            // An import cycle: the importing module sees nothing of this one yet, as in JS.
            Some(Slot::Loading) => return Some(Arc::new(Exports::default())),
            None => {}
        }
        let text = match self.read_text(path)? {
            Ok(text) => text,
            Err(d) => {
                self.diagnostics.push(d);
                return None;
            }
        };
        self.slots.insert(path.to_string(), Slot::Loading);
        let exports = Arc::new(self.evaluate(path, &text, depth));
        self.slots
            .insert(path.to_string(), Slot::Loaded(Arc::clone(&exports)));
        Some(exports)
    }

    /// The text of the site file `path` (`None` when absent), kept for diagnostics.
    pub fn read_text(&mut self, path: &str) -> Option<Result<Arc<str>, Diagnostic>> {
        if let Some((_, text)) = self.sources.iter().find(|(p, _)| p == path) {
            return Some(Ok(Arc::clone(text)));
        }
        let text: Arc<str> = match self.files.read(path)? {
            Ok(read) => {
                self.diagnostics.extend(read.warning);
                Arc::from(read.text)
            }
            Err(d) => return Some(Err(d)),
        };
        self.sources.push((path.to_string(), Arc::clone(&text)));
        Some(Ok(text))
    }

    /// The site's files.
    pub fn files(&self) -> &'s dyn SiteFiles {
        self.files
    }

    fn evaluate(&mut self, path: &str, text: &str, depth: usize) -> Exports {
        let allocator = Allocator::default();
        let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::ts());
        let parsed = Parser::new(&allocator, text, source_type).parse();
        if let Some(error) = parsed.diagnostics.first() {
            let span = error
                .labels
                .as_ref()
                .first()
                .map(|l| Span::new(l.offset() as usize, (l.offset() + l.len()) as usize))
                .unwrap_or_default();
            self.diagnostics.push(
                Diagnostic::warning(
                    "stackbit/syntax",
                    format!("`{path}` cannot be parsed: {}", error.message),
                )
                .in_file(path)
                .at(span)
                .with_label("here")
                .with_help("folio uses its built-in definitions of the models in this file; the site's own build does not read it"),
            );
            return Exports::default();
        }
        let file: Arc<str> = Arc::from(path);
        let mut module = Module::collect(&parsed.program, file, folder_of(path));
        self.export_all(&mut module, depth)
    }

    fn export_all<'a>(&mut self, module: &mut Module<'a>, depth: usize) -> Exports {
        let mut exports = Exports::default();
        let specs = std::mem::take(&mut module.exports);
        for spec in specs {
            match spec {
                Export::Named { name, value } => {
                    let value = self.export_value(module, value, depth);
                    exports.named.retain(|(n, _)| *n != name);
                    exports.named.push((name, value));
                }
                Export::Default(value) => {
                    exports.default = Some(self.export_value(module, value, depth));
                }
                Export::Star { source, span } => {
                    let Some(target) = self.import_path(module, &source) else {
                        continue;
                    };
                    let _ = span;
                    if let Some(other) = self.load_at_depth(&target, depth + 1) {
                        for (name, value) in &other.named {
                            if !exports.named.iter().any(|(n, _)| n == name) {
                                exports.named.push((name.clone(), value.clone()));
                            }
                        }
                    }
                }
            }
        }
        exports
    }

    fn export_value<'a>(
        &mut self,
        module: &mut Module<'a>,
        value: ExportValue<'a>,
        depth: usize,
    ) -> Located {
        match value {
            ExportValue::Local(name, span) => {
                eval::Evaluator::new(self, module, depth).binding(&name, span)
            }
            ExportValue::Expr(expr) => eval::Evaluator::new(self, module, depth).eval(expr),
            ExportValue::From { source, name, span } => {
                self.imported(module, &source, &name, span, depth)
            }
            ExportValue::Opaque(what, span) => {
                Located::new(&module.file, span, Lv::Dynamic(what.into()))
            }
        }
    }

    /// The value `name` (`default`, `*` for the namespace) imported from `source` into
    /// `module`: a value of the site's own module, or a package's name as [`Lv::External`].
    fn imported(
        &mut self,
        module: &Module<'_>,
        source: &str,
        name: &str,
        span: Span,
        depth: usize,
    ) -> Located {
        let Some(target) = self.import_path(module, source) else {
            return Located::new(
                &module.file,
                span,
                Lv::External {
                    module: source.to_string(),
                    name: name.to_string(),
                },
            );
        };
        if depth >= MAX_DEPTH {
            return Located::new(&module.file, span, Lv::Dynamic("nested too deeply".into()));
        }
        let Some(exports) = self.load_at_depth(&target, depth + 1) else {
            return Located::new(
                &module.file,
                span,
                Lv::Dynamic(format!("an import of `{source}`, which is not in the site")),
            );
        };
        if name == "*" {
            let entries = exports.named.clone();
            return Located::new(&module.file, span, Lv::Map(entries, Vec::new()));
        }
        match exports.get(name) {
            Some(value) => value.clone(),
            None => Located::new(
                &module.file,
                span,
                Lv::Dynamic(format!("`{name}`, which `{source}` does not export")),
            ),
        }
    }

    /// The site-relative file an import of `source` from `module` names, or `None` for a
    /// package (`@stackbit/types`). A relative import that leaves the site is a package too:
    /// folio never reads outside the site.
    fn import_path(&self, module: &Module<'_>, source: &str) -> Option<String> {
        if !source.starts_with("./") && !source.starts_with("../") {
            return None;
        }
        let joined = normalize(&format!("{}{source}", module.folder))?;
        let candidates = [
            joined.clone(),
            format!("{joined}.ts"),
            format!("{joined}.tsx"),
            format!("{joined}.js"),
            format!("{joined}.mjs"),
            format!("{joined}.cjs"),
            format!("{joined}/index.ts"),
            format!("{joined}/index.js"),
        ];
        let has_extension = joined.rsplit('/').next().is_some_and(|n| n.contains('.'));
        candidates
            .into_iter()
            .skip(usize::from(!has_extension))
            .find(|c| self.slots.contains_key(c) || self.files.exists(c))
    }
}

/// `a/b/../c/./d` → `a/c/d`; `None` when `..` climbs above the site.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

fn folder_of(path: &str) -> String {
    match path.rfind('/') {
        Some(at) => path[..=at].to_string(),
        None => String::new(),
    }
}

/// What an export of a module is.
enum ExportValue<'a> {
    /// A top-level binding of the module.
    Local(String, Span),
    /// An expression (`export default {…}`).
    Expr(&'a Expression<'a>),
    /// A name of another module (`export { a } from './a'`).
    From {
        source: String,
        name: String,
        span: Span,
    },
    /// A function or class: nothing to read.
    Opaque(&'static str, Span),
}

enum Export<'a> {
    Named {
        name: String,
        value: ExportValue<'a>,
    },
    Default(ExportValue<'a>),
    Star {
        source: String,
        span: Span,
    },
}

/// A top-level name of a module.
enum Binding<'a> {
    /// `const name = expr`.
    Expr(&'a Expression<'a>),
    /// `import { name } from 'source'` (`default`, or `*` for a namespace).
    Import { source: String, name: String },
    /// A function or class declaration.
    Opaque(&'static str),
}

/// One parsed module: its top-level names and its exports.
struct Module<'a> {
    file: Arc<str>,
    folder: String,
    bindings: HashMap<String, (Binding<'a>, Span)>,
    exports: Vec<Export<'a>>,
    /// Bindings evaluated so far (a shared field list is read once per module).
    memo: HashMap<String, Located>,
    /// Bindings being evaluated (a self-reference is dynamic, not a loop).
    active: Vec<String>,
}

fn span_of(span: oxc_ast::ast::Span) -> Span {
    Span::new(span.start as usize, span.end as usize)
}

impl<'a> Module<'a> {
    fn collect(program: &'a Program<'a>, file: Arc<str>, folder: String) -> Module<'a> {
        let mut module = Module {
            file,
            folder,
            bindings: HashMap::new(),
            exports: Vec::new(),
            memo: HashMap::new(),
            active: Vec::new(),
        };
        for statement in &program.body {
            module.statement(statement);
        }
        module
    }

    fn declare(&mut self, declaration: &'a Declaration<'a>) -> Vec<(String, Span)> {
        let mut names = Vec::new();
        match declaration {
            Declaration::VariableDeclaration(variables) => {
                for declarator in &variables.declarations {
                    let BindingPattern::BindingIdentifier(id) = &declarator.id else {
                        continue;
                    };
                    let span = span_of(id.span);
                    if let Some(init) = &declarator.init {
                        self.bindings
                            .insert(id.name.to_string(), (Binding::Expr(init), span));
                        names.push((id.name.to_string(), span));
                    }
                }
            }
            Declaration::FunctionDeclaration(function) => {
                if let Some(id) = &function.id {
                    let span = span_of(id.span);
                    self.bindings
                        .insert(id.name.to_string(), (Binding::Opaque("a function"), span));
                    names.push((id.name.to_string(), span));
                }
            }
            Declaration::ClassDeclaration(class) => {
                if let Some(id) = &class.id {
                    let span = span_of(id.span);
                    self.bindings
                        .insert(id.name.to_string(), (Binding::Opaque("a class"), span));
                    names.push((id.name.to_string(), span));
                }
            }
            _ => {}
        }
        names
    }

    fn statement(&mut self, statement: &'a Statement<'a>) {
        if let Some(declaration) = statement.as_declaration() {
            self.declare(declaration);
            return;
        }
        if let Some(declaration) = statement.as_module_declaration() {
            self.module_declaration(declaration);
            return;
        }
        if let Statement::ExpressionStatement(expression) = statement {
            self.common_js(&expression.expression);
        }
    }

    fn module_declaration(&mut self, declaration: &'a ModuleDeclaration<'a>) {
        match declaration {
            ModuleDeclaration::ImportDeclaration(import) => {
                let source = import.source.value.to_string();
                for specifier in import.specifiers.iter().flatten() {
                    let (local, name) = match specifier {
                        ImportDeclarationSpecifier::ImportSpecifier(s) => {
                            (&s.local, s.imported.name().to_string())
                        }
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                            (&s.local, "default".to_string())
                        }
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                            (&s.local, "*".to_string())
                        }
                    };
                    self.bindings.insert(
                        local.name.to_string(),
                        (
                            Binding::Import {
                                source: source.clone(),
                                name,
                            },
                            span_of(local.span),
                        ),
                    );
                }
            }
            ModuleDeclaration::ExportDeclaration(export) => {
                for (name, span) in self.declare(&export.declaration) {
                    self.exports.push(Export::Named {
                        name: name.clone(),
                        value: ExportValue::Local(name, span),
                    });
                }
            }
            ModuleDeclaration::ExportNamedDeclaration(export) => {
                for specifier in &export.specifiers {
                    self.exports.push(Export::Named {
                        name: specifier.exported.name().to_string(),
                        value: ExportValue::Local(
                            specifier.local.name().to_string(),
                            span_of(specifier.span),
                        ),
                    });
                }
            }
            ModuleDeclaration::ExportFromDeclaration(export) => {
                let source = export.source.value.to_string();
                for specifier in &export.specifiers {
                    self.exports.push(Export::Named {
                        name: specifier.exported.name().to_string(),
                        value: ExportValue::From {
                            source: source.clone(),
                            name: specifier.local.name().to_string(),
                            span: span_of(specifier.span),
                        },
                    });
                }
            }
            ModuleDeclaration::ExportAllDeclaration(export) => {
                let source = export.source.value.to_string();
                let span = span_of(export.span);
                match &export.exported {
                    Some(name) => self.exports.push(Export::Named {
                        name: name.name().to_string(),
                        value: ExportValue::From {
                            source,
                            name: "*".into(),
                            span,
                        },
                    }),
                    None => self.exports.push(Export::Star { source, span }),
                }
            }
            ModuleDeclaration::ExportDefaultDeclaration(export) => {
                let span = span_of(export.span);
                let value = match &export.declaration {
                    ExportDefaultDeclarationKind::FunctionDeclaration(_) => {
                        ExportValue::Opaque("a function", span)
                    }
                    ExportDefaultDeclarationKind::ClassDeclaration(_) => {
                        ExportValue::Opaque("a class", span)
                    }
                    ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => {
                        ExportValue::Opaque("a type", span)
                    }
                    other => match other.as_expression() {
                        Some(expression) => ExportValue::Expr(expression),
                        None => ExportValue::Opaque("a declaration", span),
                    },
                };
                self.exports.push(Export::Default(value));
            }
            _ => {}
        }
    }

    /// `module.exports = …` and `exports.name = …` (CommonJS model files).
    fn common_js(&mut self, expression: &'a Expression<'a>) {
        let Expression::AssignmentExpression(assignment) = expression else {
            return;
        };
        let Some(member) = assignment.left.as_member_expression() else {
            return;
        };
        let oxc_ast::ast::MemberExpression::StaticMemberExpression(member) = member else {
            return;
        };
        let object = match member.object.get_inner_expression() {
            Expression::Identifier(id) => id.name.as_str(),
            _ => return,
        };
        let property = member.property.name.as_str();
        match (object, property) {
            ("module", "exports") => self
                .exports
                .push(Export::Default(ExportValue::Expr(&assignment.right))),
            ("exports", name) => self.exports.push(Export::Named {
                name: name.to_string(),
                value: ExportValue::Expr(&assignment.right),
            }),
            _ => {}
        }
    }
}

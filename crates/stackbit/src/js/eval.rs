//! Static evaluation of the expressions model files are written with: literals, objects and
//! arrays (with spreads), names bound at the top of a module or imported, member access,
//! `as` / `satisfies` and parentheses, and the two calls every Stackbit config makes
//! (`defineStackbitConfig({…})`, `new GitContentSource({…})`), plus `Object.assign`. Anything
//! else (a call, a function, a condition) becomes [`Lv::Dynamic`] saying what it is, at its
//! place: the reader of the value decides whether that matters.

use super::{span_of, Binding, Module, Modules, MAX_DEPTH};
use crate::located::{number_text, Located, Lv};
use folio_diag::Span;
use oxc_ast::ast::{
    Argument, ArrayExpressionElement, Expression, ObjectPropertyKind, PropertyKind, UnaryOperator,
};

/// Evaluates expressions of one module.
pub(super) struct Evaluator<'m, 's, 'a> {
    modules: &'m mut Modules<'s>,
    module: &'m mut Module<'a>,
    depth: usize,
}

impl<'m, 's, 'a> Evaluator<'m, 's, 'a> {
    pub(super) fn new(
        modules: &'m mut Modules<'s>,
        module: &'m mut Module<'a>,
        depth: usize,
    ) -> Self {
        Evaluator {
            modules,
            module,
            depth,
        }
    }

    fn at(&self, span: Span, value: Lv) -> Located {
        Located::new(&self.module.file, span, value)
    }

    fn dynamic(&self, span: oxc_ast::ast::Span, what: &str) -> Located {
        self.at(span_of(span), Lv::Dynamic(what.to_string()))
    }

    /// The value of the module's top-level name `name`, referred to at `span`.
    pub(super) fn binding(&mut self, name: &str, span: Span) -> Located {
        if let Some(value) = self.module.memo.get(name) {
            return value.clone();
        }
        if self.module.active.iter().any(|n| n == name) || self.depth >= MAX_DEPTH {
            return self.at(
                span,
                Lv::Dynamic(format!("`{name}`, which refers to itself")),
            );
        }
        let value = match self.module.bindings.get(name) {
            None => match name {
                "undefined" => self.at(span, Lv::Null),
                // A global (`Object`, `__dirname`, `process`): named, so `Object.assign` is known.
                _ => self.at(
                    span,
                    Lv::External {
                        module: "global".into(),
                        name: name.to_string(),
                    },
                ),
            },
            Some((Binding::Opaque(what), at)) => self.at(*at, Lv::Dynamic((*what).to_string())),
            Some((
                Binding::Import {
                    source,
                    name: imported,
                },
                at,
            )) => {
                let (source, imported, at) = (source.clone(), imported.clone(), *at);
                self.modules
                    .imported(self.module, &source, &imported, at, self.depth)
            }
            Some((Binding::Expr(expression), _)) => {
                let expression: &'a Expression<'a> = expression;
                self.module.active.push(name.to_string());
                self.depth += 1;
                let value = self.eval(expression);
                self.depth -= 1;
                self.module.active.pop();
                value
            }
        };
        self.module.memo.insert(name.to_string(), value.clone());
        value
    }

    /// The value of `expression`.
    pub(super) fn eval(&mut self, expression: &'a Expression<'a>) -> Located {
        let expression = expression.get_inner_expression();
        let span = span_of(oxc_span::GetSpan::span(expression));
        match expression {
            Expression::NullLiteral(_) => self.at(span, Lv::Null),
            Expression::BooleanLiteral(b) => self.at(span, Lv::Bool(b.value)),
            Expression::NumericLiteral(n) => self.at(span, Lv::Number(n.value)),
            Expression::StringLiteral(s) => self.at(span, Lv::String(s.value.to_string())),
            Expression::TemplateLiteral(template) => {
                let mut text = String::new();
                for (i, quasi) in template.quasis.iter().enumerate() {
                    match &quasi.value.cooked {
                        Some(cooked) => text.push_str(cooked),
                        None => return self.dynamic(template.span, "a template string"),
                    }
                    if let Some(inner) = template.expressions.get(i) {
                        let part = self.eval(inner);
                        match part.scalar_text() {
                            Some(part) => text.push_str(&part),
                            None => {
                                return self.dynamic(
                                    template.span,
                                    "a template string with a computed part",
                                )
                            }
                        }
                    }
                }
                self.at(span, Lv::String(text))
            }
            Expression::Identifier(id) => self.binding(id.name.as_str(), span),
            Expression::ObjectExpression(object) => {
                let mut entries: Vec<(String, Located)> =
                    Vec::with_capacity(object.properties.len());
                let mut holes = Vec::new();
                for property in &object.properties {
                    match property {
                        ObjectPropertyKind::ObjectProperty(p) => {
                            let Some(key) = p.key.static_name() else {
                                holes.push(
                                    self.dynamic(p.span, "an object key computed at run time"),
                                );
                                continue;
                            };
                            let value = if p.method || p.kind != PropertyKind::Init {
                                self.dynamic(p.span, "a function")
                            } else {
                                self.eval(&p.value)
                            };
                            set_entry(&mut entries, key.to_string(), value);
                        }
                        ObjectPropertyKind::SpreadProperty(spread) => {
                            let value = self.eval(&spread.argument);
                            match &*value.value {
                                Lv::Map(more, more_holes) => {
                                    for (key, value) in more {
                                        set_entry(&mut entries, key.clone(), value.clone());
                                    }
                                    holes.extend(more_holes.iter().cloned());
                                }
                                Lv::Null => {}
                                _ => holes.push(value),
                            }
                        }
                    }
                }
                self.at(span, Lv::Map(entries, holes))
            }
            Expression::ArrayExpression(array) => {
                let mut items = Vec::with_capacity(array.elements.len());
                let mut holes = Vec::new();
                for element in &array.elements {
                    match element {
                        ArrayExpressionElement::SpreadElement(spread) => {
                            let value = self.eval(&spread.argument);
                            match &*value.value {
                                Lv::List(more, more_holes) => {
                                    items.extend(more.iter().cloned());
                                    holes.extend(more_holes.iter().cloned());
                                }
                                _ => holes.push(value),
                            }
                        }
                        ArrayExpressionElement::Elision(e) => {
                            items.push(self.at(span_of(e.span), Lv::Null))
                        }
                        other => match other.as_expression() {
                            Some(inner) => items.push(self.eval(inner)),
                            None => holes.push(self.at(span, Lv::Dynamic("an array item".into()))),
                        },
                    }
                }
                self.at(span, Lv::List(items, holes))
            }
            Expression::UnaryExpression(unary) => {
                let argument = self.eval(&unary.argument);
                match (unary.operator, &*argument.value) {
                    (UnaryOperator::UnaryNegation, Lv::Number(n)) => self.at(span, Lv::Number(-n)),
                    (UnaryOperator::UnaryPlus, Lv::Number(n)) => self.at(span, Lv::Number(*n)),
                    (UnaryOperator::LogicalNot, Lv::Bool(b)) => self.at(span, Lv::Bool(!b)),
                    (UnaryOperator::Void, _) => self.at(span, Lv::Null),
                    _ => self.dynamic(unary.span, "an operation on a value"),
                }
            }
            Expression::StaticMemberExpression(member) => {
                let object = self.eval(&member.object);
                self.member(object, member.property.name.as_str(), span)
            }
            Expression::ComputedMemberExpression(member) => {
                let object = self.eval(&member.object);
                let key = self.eval(&member.expression);
                match key.scalar_text() {
                    Some(key) => self.member(object, &key, span),
                    None => self.dynamic(member.span, "a member chosen at run time"),
                }
            }
            Expression::CallExpression(call) => {
                let callee = self.eval(&call.callee);
                match &*callee.value {
                    Lv::External { module, name }
                        if module.starts_with("@stackbit/") && name == "defineStackbitConfig" =>
                    {
                        self.argument(call.arguments.first(), span)
                    }
                    Lv::External { module, name } if module == "Object" && name == "assign" => {
                        let mut entries = Vec::new();
                        let mut holes = Vec::new();
                        for argument in &call.arguments {
                            let value = self.argument(Some(argument), span);
                            match &*value.value {
                                Lv::Map(more, more_holes) => {
                                    for (key, value) in more {
                                        set_entry(&mut entries, key.clone(), value.clone());
                                    }
                                    holes.extend(more_holes.iter().cloned());
                                }
                                _ => holes.push(value),
                            }
                        }
                        self.at(span, Lv::Map(entries, holes))
                    }
                    _ => {
                        let name = callee_name(&call.callee);
                        self.dynamic(call.span, &format!("a function call (`{name}(…)`)"))
                    }
                }
            }
            Expression::NewExpression(new) => {
                // `new GitContentSource({ models, … })`: the options are what is read.
                let callee = self.eval(&new.callee);
                let class = match &*callee.value {
                    Lv::External { name, .. } => name.clone(),
                    _ => callee_name(&new.callee),
                };
                let options = self.argument(new.arguments.first(), span);
                let mut entries = vec![(
                    "$class".to_string(),
                    self.at(callee.span, Lv::String(class)),
                )];
                let mut holes = Vec::new();
                if let Lv::Map(more, more_holes) = &*options.value {
                    entries.extend(more.iter().cloned());
                    holes = more_holes.clone();
                }
                self.at(span, Lv::Map(entries, holes))
            }
            Expression::ArrowFunctionExpression(f) => self.dynamic(f.span, "a function"),
            Expression::FunctionExpression(f) => self.dynamic(f.span, "a function"),
            Expression::ConditionalExpression(c) => self.dynamic(c.span, "a condition"),
            Expression::LogicalExpression(l) => self.dynamic(l.span, "a condition"),
            Expression::BinaryExpression(b) => self.dynamic(b.span, "an operation on values"),
            _ => self.at(
                span,
                Lv::Dynamic("an expression folio does not evaluate".into()),
            ),
        }
    }

    fn argument(&mut self, argument: Option<&'a Argument<'a>>, span: Span) -> Located {
        match argument {
            Some(Argument::SpreadElement(spread)) => {
                self.dynamic(spread.span, "a spread of arguments")
            }
            Some(argument) => match argument.as_expression() {
                Some(expression) => self.eval(expression),
                None => self.at(span, Lv::Dynamic("an argument".into())),
            },
            None => self.at(span, Lv::Null),
        }
    }

    /// `object.key`: an entry of a static object, the length of a list, `Object.assign`.
    fn member(&mut self, object: Located, key: &str, span: Span) -> Located {
        match &*object.value {
            Lv::Map(..) => match object.get(key) {
                Some(value) => value.clone(),
                None if object.holes().is_empty() => self.at(span, Lv::Null),
                None => self.at(
                    span,
                    Lv::Dynamic(format!("`{key}` of an object read only in part")),
                ),
            },
            Lv::List(items, holes) if key == "length" && holes.is_empty() => {
                self.at(span, Lv::Number(items.len() as f64))
            }
            Lv::List(items, holes) if holes.is_empty() => match key.parse::<usize>() {
                Ok(i) => items
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| self.at(span, Lv::Null)),
                Err(_) => self.at(span, Lv::Dynamic(format!("`.{key}` of a list"))),
            },
            Lv::External { module, name } if module == "global" => self.at(
                span,
                Lv::External {
                    module: name.clone(),
                    name: key.to_string(),
                },
            ),
            Lv::External { module, name } => {
                self.at(span, Lv::Dynamic(format!("`{name}.{key}` from `{module}`")))
            }
            Lv::Dynamic(what) => self.at(span, Lv::Dynamic(what.clone())),
            _ => self.at(
                span,
                Lv::Dynamic(format!("`.{key}` of {}", describe(&object))),
            ),
        }
    }
}

/// Set `key` as a JS object literal does: a later value replaces an earlier one in place.
fn set_entry(entries: &mut Vec<(String, Located)>, key: String, value: Located) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

fn describe(value: &Located) -> String {
    match &*value.value {
        Lv::String(s) => format!("the string `{s}`"),
        Lv::Number(n) => format!("the number `{}`", number_text(*n)),
        _ => "a value".into(),
    }
}

/// `name`, `a.b` or `…` for what is called.
fn callee_name(callee: &Expression<'_>) -> String {
    match callee.get_inner_expression() {
        Expression::Identifier(id) => id.name.to_string(),
        Expression::StaticMemberExpression(member) => {
            format!("{}.{}", callee_name(&member.object), member.property.name)
        }
        _ => "…".into(),
    }
}

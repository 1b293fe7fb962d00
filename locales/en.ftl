## Everything the bot says in English. Keys are the same in every language.

-helpline = 8-800-2000-122
-emergency = 112

## Greeting and menu
greeting =
    Hi! I'm the children's helpline bot. You can tell me about anything that worries you. It's free and anonymous: you don't need to give your name.
    Your chat is kept for { kept-bot-time }, or { kept-chat-time } if you talk to a counselor, then deleted. Only helpline staff can read it.
    We don't tell anyone about you. The one exception: if someone's life is in danger, the counselor may call for help.
    Tell me what happened, or choose:
## How long a chat is kept: from the service's settings ($botHours, $transcriptDays), not from this file
kept-bot-time =
    { $botHours ->
        [one] { $botHours } hour
       *[other] { $botHours } hours
    }
kept-chat-time =
    { $transcriptDays ->
        [one] { $transcriptDays } day
       *[other] { $transcriptDays } days
    }
privacy-details =
    How we keep your secrets:
    • You don't need to give your name, address or phone number.
    • A chat with the bot is deleted { kept-bot-time } after its last message, a chat with a counselor after { kept-chat-time }. While it is kept, only counselors and shift supervisors can see it.
    • We don't tell your parents, your school or the police about you.
    • The one exception: if a life is in danger — yours or someone else's — the counselor may call for help, such as an ambulance.
    • Reports keep only numbers: how many chats there were and on what topics, never your words.
    You can write to me — I'm reading.
menu = How can I help? Write in your own words or choose:
about =
    The children's helpline is psychologists who listen and help you sort things out.
    • Anonymous and free. We don't tell your parents or school about you — only if someone's life is in danger may the counselor call for help.
    • Phone { -helpline } — 24/7, free from any phone.
    • Here in the chat you can talk to a real counselor.
    • If your life is in danger right now, call { -emergency }.
service-hours =
    { $chatHours ->
        [always] The counselor chat is open 24/7.
       *[other] The counselor chat's hours: { $chatHours }.
    } The helpline { -helpline } is open 24/7. Everything is free.
helpline-info = Helpline: { -helpline } (free, anonymous, 24/7). Emergency: { -emergency }.
offer-counselor = I can bring in a real counselor — a psychologist who will read everything and answer you personally. Shall I?
clarify = I want to understand you right. Can you tell me a bit more about what's going on? Any words are fine.
lang-switched = OK, I'll write in English from now on.

## Crisis
emergency =
    If you are in danger or have already hurt yourself, call { -emergency } now (it's free, even with no credit).
    Your safety right now matters most. If you can, tell an adult near you.
    I'm calling a counselor, who will write to you very soon. The helpline { -helpline } is open 24/7.
emergency-now =
    If you are in danger or have already hurt yourself, call { -emergency } now (it's free, even with no credit).
    Your safety right now matters most. If you can, tell an adult near you.
    The helpline { -helpline } is open 24/7.
crisis-high-closed =
    Thank you for telling me. You are not alone, and what you feel matters.
    Call the helpline { -helpline } — they answer right now, free, anonymous, 24/7.
    If it gets dangerous right now, call { -emergency }.
crisis-high =
    Thank you for telling me. You are not alone, and what you feel matters.
    The helpline { -helpline } answers right now — free, anonymous, 24/7.
    If it gets dangerous right now, call { -emergency }.
    I'm calling a real counselor — they will write to you here soon.
help-now =
    OK, I'm here. The helpline { -helpline } answers right now — free, anonymous, 24/7.
    If it is dangerous right now, call { -emergency }.
    I'm calling a real counselor — they will write to you here soon.
help-now-closed =
    OK, I'm here. Call the helpline { -helpline } — they answer right now, free, anonymous, 24/7.
    If it is dangerous right now, call { -emergency }.
safety-question =
    Thank you for telling me. May I ask you directly, because I care:
    do you sometimes have thoughts of not wanting to live, or of hurting yourself?
safety-answer-no =
    OK, thank you for answering. I'm sorry things are hard right now — let's try to sort it out.
    You can talk to a counselor or try something that helps right now.
fallback-error =
    Sorry, I'm having technical trouble, but help is always there:
    helpline { -helpline } (free, anonymous, 24/7), emergency { -emergency }.

## Queue and counselor
queued = You're in the queue for a counselor. They'll answer as soon as they're free. You can keep writing — they will read it.
queue-position =
    { $position ->
        [1] You are next in line.
       *[other] Your place in the queue: { $position }.
    } { $staffed ->
        [no] Nobody is on shift right now — a counselor will answer as soon as one is here.
       *[yes] { $eta ->
            [0] A counselor will answer soon.
           *[other] Estimated wait: { $eta } min.
        }
    }
queue-left = You've left the queue. If you want to talk, just write.
counselor-joined = A counselor is here. You can write now.
counselor-left = The counselor got disconnected, but you're not alone: the next free counselor will continue.
counselor-handover = You're being passed to another counselor, who will see the whole conversation — you don't need to repeat anything. You can keep writing while you wait.
conversation-closed = Thank you for writing. Take care. If you want to talk again, write any time or call { -helpline }.
no-counselors =
    Right now all counselors are busy or the shift is over — honestly, a chat reply may take a while.
    The helpline { -helpline } is open 24/7 and free. You can leave a message here and a counselor will answer as soon as they can.
chat-closed =
    To be honest: the counselor chat is closed right now. { $day ->
        [today] We are back in the chat today from { $time }.
        [tomorrow] We are back in the chat tomorrow from { $time }.
        [mon] We are back in the chat on Monday from { $time }.
        [tue] We are back in the chat on Tuesday from { $time }.
        [wed] We are back in the chat on Wednesday from { $time }.
        [thu] We are back in the chat on Thursday from { $time }.
        [fri] We are back in the chat on Friday from { $time }.
        [sat] We are back in the chat on Saturday from { $time }.
        [sun] We are back in the chat on Sunday from { $time }.
       *[other] We don't know yet when the chat opens again.
    }
    The helpline { -helpline } is open 24/7 and free — you can call right now.
    You can leave a message here: it is already in the queue, and a counselor will answer when the shift starts. { $channel ->
        [webchat] The answer will come to this tab while it stays open.
       *[other] The answer will come here, in this chat.
    }
    If you are in danger right now, call { -emergency }.
blocked-answer =
    This chat is paused until { $date }.
    The helpline { -helpline } is open 24/7 — free and anonymous.
    If you are in danger, call { -emergency }. If something bad is happening to you, write it — a counselor will see it.
media-not-supported = I can only read text for now. Please write it in words — I'm reading.
text-truncated = That message is very long; I kept the beginning. You can continue in the next message.
rate-limited = You're writing very fast and I can't keep up. Please wait a couple of seconds.

## Words that answer a yes/no question (comma-separated)
answer-yes-words = yes, yeah, yep, yup, sometimes, да
answer-no-words = no, nope, nah, not really, нет
answer-unknown-words = i dont know, idk, maybe, not sure, dunno, не знаю

## Buttons
btn-yes = Yes
btn-no = No
btn-dont-know = I don't know
btn-leave-queue = Leave the queue
btn-counselor = Talk to a counselor
btn-help-now = I need help now
btn-selfhelp = Help myself
btn-about = About the service
btn-privacy = More: what is kept
btn-menu = Menu
btn-end = That's all for now
btn-breathing = Breathing exercise
btn-grounding = "5-4-3-2-1" exercise
btn-better = I feel a bit better
btn-still-bad = Still bad
btn-exam-tips = Exam tips
btn-talk-tips = How to talk to parents
btn-topic-emotions = Sadness, anger, apathy
btn-topic-anxiety = Anxiety, panic
btn-topic-school = School and exams
btn-topic-family = Family
btn-topic-peers = Friends, loneliness
btn-topic-bullying = Bullying

## Self-help
selfhelp-menu = What would you like to talk about? Choose a topic:
selfhelp-distress =
    It sounds like things are really hard right now. It's OK to ask for help.
    A counselor can listen to you. If you'd like to calm down a little first, try the breathing exercise.
selfhelp-emotions =
    Sadness, anger, emptiness are feelings, and all of them are allowed. What often helps:
    • name the feeling: "I'm sad", "I'm angry" — it gets smaller;
    • do something simple for your body: water, a walk, a shower, sleep;
    • write or talk to someone you trust.
    If it lasts long or feels very heavy, talk to a counselor.
selfhelp-anxiety =
    Anxiety and panic feel awful, but they pass. A panic attack usually fades within 10–20 minutes and isn't dangerous.
    Slowing your breath and coming back to the here and now helps.
breathing =
    Let's do it together: breathe in through your nose for 4… hold for 4… breathe out slowly through your mouth for 6.
    Repeat 5 times. Put a hand on your belly and feel it rise and fall.
grounding =
    Look around and name: 5 things you see; 4 you can touch; 3 sounds you hear; 2 smells; 1 taste.
    It helps your brain notice that right now you are safe.
feeling-better = I'm glad it's a little easier. Come back whenever you want — I'm here.
selfhelp-school =
    School really is a lot, and one grade doesn't decide who you are.
    • Break a big task into small steps and start with the easiest.
    • Ask the teacher what you can fix — it's often possible.
    • Rest and sleep help you learn better than a sleepless night.
exam-tips =
    About exams:
    • study for 40–50 minutes with breaks;
    • practise past papers — the unknown gets less scary;
    • on the day: breakfast, water, 4-4-6 breathing if it hits you;
    • exams can be retaken — it's not the end of the world.
selfhelp-family =
    Every family argues sometimes, but that doesn't make it easier. Your feelings matter.
    It can help to talk when everyone is calm and to speak about yourself: "I feel hurt when…" rather than "you always…".
talk-to-parents =
    How to start a talk with your parents:
    • pick a calm moment, not in the middle of a fight;
    • start with "it matters to me that you hear me out";
    • talk about your feelings and what you want;
    • if it's scary to say, write a letter or bring in another adult you trust.
selfhelp-peers =
    Falling out with a friend or feeling lonely hurts. It happens to many people, even if it seems it's only you.
    Try writing to them first, without blame. You can meet new people in clubs, sports, or online communities around your interests.
selfhelp-love =
    Love, break-ups and jealousy are some of the strongest feelings. It's normal that it hurts, and it passes.
    Give yourself time, don't shut out your friends, do things you enjoy.
selfhelp-bullying =
    Bullying is never your fault. Nobody deserves to be mocked or hurt.
    • Tell an adult you trust: a parent, a teacher, the school psychologist.
    • Keep screenshots if it happens online, and block the bullies.
    • Stay close to people who are kind to you.
    A counselor can help you work out what to do in your situation.
selfhelp-body =
    Your body is changing and it's normal to have many questions — nothing to be ashamed of.
    If you worry about health, eating or weight, talk to a doctor or a counselor. Not eating or throwing up after meals is a reason to get help.
selfhelp-substances =
    It's good that you're thinking about this. Alcohol, vapes and other substances are especially harmful for a growing body.
    If someone pressures you or it's hard to stop, a counselor can help — without judging, anonymously.
selfhelp-online =
    If something went wrong online:
    • don't send money or photos, even if they threaten you;
    • keep screenshots and block the person;
    • report it to the platform and tell an adult you trust.
selfhelp-parent =
    Thank you for caring about your child. A helpline counselor can help you sort things out and tell you where to get help locally.
    The helpline { -helpline } is for parents too — free and anonymous.

## Counselors' canned replies (canned-*)
canned-hello = Hi! I'm a counselor and I've read your messages. I'm here; you can tell me everything.
canned-thanks = Thank you for trusting me with this. It takes courage.
canned-safe = Are you safe right now?
canned-112 = If you are in danger right now, please call { -emergency }. I'm staying here with you.
canned-listening = I'm reading carefully. Write as much as you need; there's no hurry.
canned-not-alone = You're not alone. Let's think together about what can be done.
canned-goodbye = Thank you for writing. If you want to talk again, write here any time or call { -helpline }.

## Before the queue (two skippable questions; never asked at high risk)
prequeue-age = While you wait — two short questions so the counselor understands you better. You can skip them. How old are you?
prequeue-about = Is this about you or about someone else (a friend, a brother or sister)?
prequeue-thanks = Thank you! The counselor will see this. You can keep writing while you wait.
btn-age-under-10 = Under 10
btn-age-10-13 = 10–13
btn-age-14-17 = 14–17
btn-age-18-plus = 18 or older
btn-about-self = About me
btn-about-other = About someone else
btn-skip = Skip

## Waiting in the queue
waiting-still = You're still in the queue, and a counselor will answer. You can write here anything you want to tell them.
waiting-breathing =
    While you wait, let's breathe together. Breathe in through your nose for 4… hold for 4… breathe out slowly for 6.
    Repeat 3–4 times. I'm here; a counselor will join soon.
waiting-reassure = Thank you for waiting. If it gets worse or scary, call { -helpline } (24/7) or { -emergency }.
waiting-offline =
    No counselors are on shift in the chat right now, but your message is saved — a counselor will answer here as soon as they can.
    The helpline { -helpline } is open 24/7 and free. If you're in danger right now, call { -emergency }.
counselor-transferred = You've been passed to another counselor, who can see the whole conversation — you don't need to repeat anything.

## Feedback after the conversation: buttons under the closing words (optional)
feedback-thanks = Thank you for answering! If you want to talk again, just write.
btn-feedback-helped = 👍 The talk helped
btn-feedback-partly = It helped a little
btn-feedback-not-helped = 👎 It didn't help

## Telegram
tg-group-leave = Hi! I only talk one-to-one so that everything stays private, so I'm leaving this group. Write to me in a private chat. Helpline: { -helpline }.
tg-lang-choose = Choose a language:
lang-name = English
tg-cmd-start = Start a conversation
tg-cmd-help = About the helpline
tg-cmd-lang = Change the language
tg-cmd-stop = Leave the queue or end the chat

## The web chat page (header, composer, status lines)
webchat-title = Children's helpline
webchat-subtitle = anonymous and free · { -helpline }
webchat-language = Language
webchat-exit = Quick exit ✕
webchat-exit-hint = Close the chat at once and go to another site
webchat-log-label = Conversation
webchat-placeholder = Tell me what happened…
webchat-message-label = Message
webchat-send = Send
webchat-offline = No connection, reconnecting… Your messages are kept.
webchat-waiting = You are in the queue for a counselor.
webchat-not-sent = Not sent
webchat-retry = Send again

## Safety net: a second counselor, and coming back to the queue
second-counselor-joined = Another counselor, the shift supervisor, has joined the conversation. You can write as usual.
queue-returned = Welcome back! Your place in the queue was kept.

## Staff audit log (seen by supervisors and admins only)
audit-line = { $by } — { $what }
audit-line-target = { $by } — { $what }, conversation { $target }
audit-action-open = opened a conversation
audit-action-claim = took a conversation
audit-action-transfer = transferred a conversation
audit-action-close = closed a conversation
audit-action-whisper = whispered to the counselor
audit-action-join = joined a conversation
audit-action-ack = acknowledged an imminent risk
audit-action-hand = asked for a supervisor
audit-action-hand-lowered = no longer needs a supervisor
audit-action-block = blocked a contact
audit-action-unblock = lifted a block
audit-action-login = signed in
audit-action-login-failed = failed sign-in
audit-action-login-refused = sign-in refused after failures
audit-action-password-change = changed the password
audit-action-password-change-failed = failed password change
audit-action-account-create = created an account
audit-action-account-update = changed an account
audit-action-triage-correction = a message's triage corrected
audit-action-corrections-read = triage corrections read
audit-action-content-draft = started a content draft
audit-action-content-draft-save = saved a change in a content draft
audit-action-content-draft-delete = deleted a content draft
audit-action-content-approve = approved a content draft
audit-action-content-publish = published a content version
audit-action-content-rollback = rolled the content back
audit-action-export = exported contact records (CSV)
audit-action-assessment = suicide risk assessment
audit-action-safety-plan = safety plan sent
audit-action-referral-sign-off = emergency referral signed off
audit-action-other = action "{ $action }"

## Contact categories (records/categories.yaml): the close form and the reports
chi-violence = Violence
chi-violence-bullying_in_school = Bullying in school
chi-violence-bullying_out_of_school = Bullying out of school
chi-violence-cyberbullying = Cyberbullying
chi-violence-emotional_abuse = Emotional abuse
chi-violence-neglect = Neglect
chi-violence-physical_abuse = Physical abuse
chi-violence-sexual_abuse = Sexual abuse
chi-violence-online_sexual_abuse = Online sexual abuse and exploitation
chi-violence-domestic_violence_witnessed = Witnessing domestic violence
chi-violence-threats = Threats
chi-violence-child_labour = Child labour
chi-violence-trafficking = Child trafficking
chi-violence-unspecified = Unspecified / other
chi-mental_health = Mental health
chi-mental_health-anxiety = Anxiety, fears, panic
chi-mental_health-mood = Mood, sadness, depression
chi-mental_health-self_harm = Self-harm
chi-mental_health-suicidal_thoughts = Suicidal thoughts
chi-mental_health-suicide_attempt = Suicide attempt
chi-mental_health-eating = Eating problems
chi-mental_health-substance_use = Substance use
chi-mental_health-addictive_behaviour = Addictive behaviour (gaming, gambling)
chi-mental_health-grief = Grief and loss
chi-mental_health-self_esteem = Self-esteem
chi-mental_health-trauma = Trauma
chi-mental_health-anger = Anger and behaviour
chi-mental_health-sleep = Sleep
chi-mental_health-unspecified = Unspecified / other
chi-family_relationships = Family relationships
chi-family_relationships-parent_child = Parent-child relationship
chi-family_relationships-divorce_separation = Divorce and separation
chi-family_relationships-siblings = Siblings
chi-family_relationships-step_family = Step-family
chi-family_relationships-family_health = Illness or addiction in the family
chi-family_relationships-parenting = Parenting questions
chi-family_relationships-unspecified = Unspecified / other
chi-peer_relationships = Peer relationships
chi-peer_relationships-friends = Friendship
chi-peer_relationships-loneliness = Loneliness
chi-peer_relationships-romantic = Romantic relationships
chi-peer_relationships-unspecified = Unspecified / other
chi-education = Education
chi-education-performance = School performance
chi-education-exams = Exams
chi-education-teachers = Teachers
chi-education-school_refusal = School refusal, truancy
chi-education-learning_difficulties = Learning difficulties
chi-education-unspecified = Unspecified / other
chi-physical_health = Physical health
chi-physical_health-illness = Illness
chi-physical_health-puberty = Puberty
chi-physical_health-pregnancy = Pregnancy
chi-physical_health-sexual_health = Sexual health
chi-physical_health-disability = Disability
chi-physical_health-appearance = Appearance and body
chi-physical_health-unspecified = Unspecified / other
chi-sexuality = Sexuality
chi-sexuality-orientation = Sexual orientation
chi-sexuality-gender_identity = Gender identity
chi-sexuality-sexual_behaviour = Sexual behaviour
chi-sexuality-unspecified = Unspecified / other
chi-access_to_services = Access to services
chi-access_to_services-mental_health_services = Mental health services
chi-access_to_services-health_services = Health services
chi-access_to_services-social_services = Social services
chi-access_to_services-legal_services = Legal services
chi-access_to_services-education_services = Education services
chi-access_to_services-unspecified = Unspecified / other
chi-discrimination = Discrimination and exclusion
chi-discrimination-ethnicity = Ethnicity
chi-discrimination-disability = Disability
chi-discrimination-gender = Gender
chi-discrimination-orientation = Sexual orientation
chi-discrimination-religion = Religion
chi-discrimination-unspecified = Unspecified / other
chi-missing_children = Missing children
chi-missing_children-runaway = Runaway
chi-missing_children-thrown_out = Thrown out of home
chi-missing_children-lost = Lost
chi-missing_children-abducted = Abducted
chi-missing_children-unspecified = Unspecified / other
chi-basic_needs = Basic needs
chi-basic_needs-food = Food
chi-basic_needs-housing = Housing, nowhere to sleep
chi-basic_needs-money = Money
chi-basic_needs-unspecified = Unspecified / other
chi-legal = Legal matters
chi-legal-rights = Children's rights
chi-legal-police_justice = Police and justice
chi-legal-custody = Custody
chi-legal-unspecified = Unspecified / other
chi-other = Other
chi-other-service_info = Questions about the service
chi-other-unspecified = Unspecified / other
chi-call-silent = Silent
chi-call-blank = Blank
chi-call-joke = Joke, prank
chi-call-hang_up = Hang-up
chi-call-wrong_number = Wrong number
chi-call-abusive = Abusive
chi-call-testing = Testing the service
chi-age-under_10 = under 10
chi-age-10_13 = 10–13
chi-age-14_17 = 14–17
chi-age-18_plus = 18+
chi-age-unknown = not given
chi-gender-female = girl
chi-gender-male = boy
chi-gender-other = other
chi-gender-unknown = not given

## Content studio (web/studio): the page's words
studio-title = Content studio
studio-sign-in = Sign in
studio-username = Username
studio-password = Password
studio-forbidden = The studio is for content editors and admins only.
studio-new-draft = New draft
studio-draft-title = Draft title
studio-item = What to edit
studio-save = Save to the draft
studio-saved = Saved
studio-problems-none = No problems
studio-conflict = { $by } has changed this text already. Both versions are below: nothing is lost.
studio-take-theirs = Take their text
studio-keep-mine = Keep my text
studio-merge-hint = Red: lines only in their text; green: only in yours. Your text is still in the editor: combine both and save.
studio-merge-theirs = only in their text
studio-merge-mine = only in your text
studio-try = What would the bot say?
studio-try-placeholder = A message as a child would write it
studio-try-result = Topic: { $topic } · risk: { $risk }
studio-comment = Comment: what changed and why
studio-publish = Publish
studio-published = Version { $number } published
studio-approval-needed = This changes what a child in crisis gets: another person must approve it.
studio-gate = Safety check (trains and measures a model, about a minute)
studio-gate-running = Checking: { $effect }
studio-gate-queued = The check is queued: another draft's check finishes first (ahead of this one: { $number }).
studio-gate-passed = Check passed: the classifier catches children in crisis as well as now.
studio-gate-refused = Publishing stopped: with this change the classifier would miss children it catches now.
studio-gate-required = This changes what the classifier learns: run the safety check first.
studio-gate-line = { $set }: { $what } { $before } → { $after }
studio-gate-escalation = escalation recall
studio-gate-imminent = imminent recall
studio-gate-missed = Now missed: "{ $text }" (was { $before }, now { $after })
studio-gate-not-needed = This change does not touch what the classifier learns: no check needed.
studio-override = Reason to publish over the check (admins only)
studio-approve = Approve
studio-approved = Approved
studio-versions = Versions
studio-rollback = Restore this version
studio-error = That did not work: { $error }
studio-preview = Preview of the draft (nothing is stored or sent to counselors)
studio-preview-start = Start again
studio-preview-send = Write
studio-preview-effect = Here the bot would: { $effect }
studio-map = Script map
studio-map-hint = A step is one bot message and the buttons under it. Click a step to open it; an arrow leads to the step the child reaches.
studio-map-open = Open step
studio-step = Step { $what }
studio-step-text = The step's message
studio-step-buttons = Buttons
studio-step-label = Label
studio-step-goes = Leads to
studio-step-to-step = step { $what }
studio-step-add-button = Add a button
studio-step-up = Up
studio-step-down = Down
studio-step-remove = Remove
studio-step-save = Save the step to the draft
studio-step-delete = Delete the step
studio-step-in-use = This step cannot be deleted: { $what } still lead here. Remove those links first.
studio-step-used-by = Leading here: { $what }
studio-step-unused = Nothing leads to this step yet.
studio-step-new = id of the new step, e.g. selfhelp_sleep
studio-step-create = Create the step
studio-step-need-draft = Create or pick a draft first.
studio-used-bot = the bot itself
studio-used-step = step { $what }
studio-used-intent = intent { $what }
studio-missing = missing translation
studio-messages = The bot's words by language
studio-messages-search = Find a text or id
studio-messages-missing = Missing translations: { $number }
studio-edit = Edit
studio-action-counselor = call a counselor
studio-action-crisis = emergency help
studio-action-menu = main menu
studio-action-end = say goodbye
studio-action-leave_queue = leave the queue
studio-intents = What children say
studio-intents-search = Find words in examples and phrases (2 letters or more)
studio-intents-stems = A star * at the end of a word in a phrase means "any ending": "kill* myself" finds "kill myself" and "killing myself". Words in between neighbours are allowed: "don't want* live" finds "don't want to live".
studio-intents-found = Intents found: { $number }
studio-intents-example = example ({ $risk })
studio-intents-phrase = lexicon phrase
studio-intents-open = Open the file
studio-session-expired = Your sign-in expired. Your text is kept in this browser — sign in again and it goes into the draft.
studio-restored = The text kept before signing in is now in the draft.

## Safety plan: sent to the child as one message; "my plan" sends it again
safety-plan-title = Your safety plan
safety-plan-warning-signs = When things get hard, I notice:
safety-plan-helps = What helps me:
safety-plan-people = People I can contact:
safety-plan-places = Places where I feel calm and safe:
safety-plan-numbers = Numbers:
safety-plan-always = Children's helpline: 8-800-2000-122 (free, day and night). If you are in danger right now, call 112.
safety-plan-again = Write "my plan" and I will send this plan again.
safety-plan-words = my plan, plan, my safety plan, safety plan

## Reports for supervisors (web/reports)
reports-title = Reports
reports-sign-in = Sign in
reports-username = Username
reports-password = Password
reports-forbidden = Reports are open to supervisors and admins only. Counselors cannot see them: ask the supervisor on shift.
reports-from = From
reports-to = To
reports-channel = Channel
reports-all-channels = All channels
reports-apply = Show
reports-download-records = Download records (CSV, no text)
reports-chi-year = Year
reports-download-chi = Download CHI annual data (CSV)
reports-loading = Loading…
reports-error = Could not load the report: { $error }
reports-empty = No contacts on these days.
reports-none = not given
reports-totals = Totals for the period
reports-total-contacts = Contacts
reports-total-counselled = Reached a counselor
reports-total-abandoned = Left before a counselor
reports-total-non-counselling = Not counselling (call type)
reports-total-high-risk = High and imminent risk
reports-by-day = Contacts by day
reports-by-hour-of-week = Contacts by weekday and hour
reports-by-channel = By channel
reports-by-topic = By topic
reports-by-risk = By risk
reports-by-category = By CHI category
reports-by-subcategory = By CHI subcategory
reports-by-call-type = Non-counselling call types
reports-by-outcome = Outcome
reports-by-age = By age group
reports-by-gender = By gender
reports-wait-by-risk = Time to a counselor by risk (minutes)
reports-abandoned-by-risk = Left before a counselor: by risk
reports-abandoned-by-wait = Left before a counselor: by wait
reports-feedback = Children's feedback
reports-counselor-load = Counselor load per shift
reports-triage = Triage accuracy from counselors' corrections
reports-triage-none = No triage corrections on these days.
reports-col-day = Day
reports-col-weekday = Weekday
reports-col-hour = Hour
reports-col-channel = Channel
reports-col-topic = Topic
reports-col-risk = Risk
reports-col-category = Category
reports-col-subcategory = Subcategory
reports-col-call-type = Call type
reports-col-outcome = Outcome
reports-col-age = Age group
reports-col-gender = Gender
reports-col-wait = Wait
reports-col-answer = Answer
reports-col-counselor = Counselor
reports-col-contacts = Contacts
reports-col-shifts = Shifts
reports-col-chats = Chats
reports-col-chats-per-shift = Chats per shift
reports-col-high-risk = High-risk chats
reports-col-p50 = Median, min
reports-col-p90 = 90th percentile, min
reports-col-figure = Figure
reports-col-value = Value
reports-triage-accuracy = Accuracy (share of chats with no correction)
reports-triage-counselled = Chats with a counselor
reports-triage-corrected = Of those, with a corrected triage
reports-triage-corrections = Corrections
reports-triage-raised = Risk raised
reports-triage-lowered = Risk lowered
reports-triage-topic = Topic changed
reports-risk-none = none
reports-risk-low = low
reports-risk-medium = medium
reports-risk-high = high
reports-risk-imminent = imminent
reports-topic-greeting = greeting
reports-topic-service_info = about the service
reports-topic-suicide = suicide
reports-topic-self_harm = self-harm
reports-topic-violence = violence
reports-topic-sexual_abuse = sexual abuse
reports-topic-online_safety = online safety
reports-topic-bullying = bullying
reports-topic-family = family
reports-topic-school = school
reports-topic-peers = peers
reports-topic-love = love and relationships
reports-topic-emotions = feelings
reports-topic-body_health = body and health
reports-topic-substances = substances
reports-topic-runaway = running away
reports-topic-parent = an adult writing
reports-topic-other = other
reports-outcome-supported = supported
reports-outcome-referred = referred
reports-outcome-emergency = emergency services
reports-outcome-follow_up = follow-up
reports-outcome-child_left = child left
reports-outcome-not_genuine = not genuine
reports-outcome-other = other
reports-outcome-unreachable = unreachable
reports-feedback-helped = helped
reports-feedback-partly = helped a little
reports-feedback-not_helped = did not help
reports-wait-lt1 = under a minute
reports-wait-1to5 = 1–5 minutes
reports-wait-5to15 = 5–15 minutes
reports-wait-15to30 = 15–30 minutes
reports-wait-ge30 = 30 minutes or more
reports-day-1 = Mon
reports-day-2 = Tue
reports-day-3 = Wed
reports-day-4 = Thu
reports-day-5 = Fri
reports-day-6 = Sat
reports-day-7 = Sun
